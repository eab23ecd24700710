import { createGroup, expect, main, newSession, signIn, superuser, test, uniqueEmail } from "./support";

// Fixes from the accessibility audit: an unknown address inside a locale shows the translated
// not-found page in the site's frame, and the public forms whose answer replaces them put focus
// on that answer. Independent of the other specs: it makes its own subscriber group.

test.describe.configure({ mode: "serial" });

test("an unknown path under a locale answers the translated 404 inside the site's layout", async ({ page }) => {
  const cases = [
    { path: "/fr/nope", lang: "fr", title: "Page introuvable" },
    { path: "/en/manage/nope", lang: "en", title: "Page not found" },
    { path: "/en/some/deeper/nope", lang: "en", title: "Page not found" },
  ];
  for (const { path, lang, title } of cases) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.getByRole("banner")).toBeVisible();
    await expect(main(page).getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(page).toHaveTitle(new RegExp(`^${title} · `));
  }
  // The catch-all shadows no real page, and /api stays outside it.
  expect((await page.goto("/en/sign-in"))?.status()).toBe(200);
  await expect(main(page).getByRole("heading", { level: 1 })).toHaveText("Sign in");
  expect((await page.request.get("/api/nope", { failOnStatusCode: false })).status()).toBe(404);
});

test("the forgot-password answer takes focus once it replaces the form", async ({ browser, baseURL }) => {
  const { context, page } = await newSession(browser, baseURL);
  try {
    await page.goto("/en/forgot-password");
    await main(page).getByLabel("Email", { exact: true }).fill(uniqueEmail("a11y-forgot"));
    await main(page).getByRole("button", { name: "Send me a link" }).press("Enter");
    const sent = main(page).getByRole("status");
    await expect(sent).toContainText("If an account uses this address, an email with a link is on its way.");
    await expect(sent).toBeFocused();
  } finally {
    await context.close();
  }
});

test("the newsletter signup's thanks take focus once they replace the form", async ({ page, browser, baseURL }) => {
  // A group of its own, so the home page has a signup form whatever ran before.
  await signIn(page, "en", superuser());
  const label = `A11y group ${Date.now().toString(36)}`;
  await createGroup(page, label);

  const { context, page: visitor } = await newSession(browser, baseURL);
  try {
    await visitor.goto("/en");
    const form = main(visitor);
    await form.getByLabel(label, { exact: true }).check();
    await form.getByLabel("Email address", { exact: true }).fill(uniqueEmail("a11y-news"));
    await form.getByRole("button", { name: "Subscribe" }).press("Enter");
    const thanks = form.getByRole("status");
    await expect(thanks).toContainText("Thank you!");
    await expect(thanks).toBeFocused();
  } finally {
    await context.close();
  }
});
