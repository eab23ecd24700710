import { expect, main, test } from "./support";

// The unsubscribe link of a newsletter, opened in a browser when no address holds its token
// (mistyped, cut by a mail client, from an older installation).

test("an unknown unsubscribe link lands on the styled page, in the reader's language, with a 404 and the way to sign up", async ({ browser, baseURL }) => {
  // A browser in English that never visited the site: its Accept-Language decides.
  const english = await browser.newContext({ baseURL, locale: "en-GB" });
  const page = await english.newPage();
  const response = await page.goto("/api/unsubscribe/not-a-token-anyone-holds-0000");
  expect(response?.status()).toBe(404);
  await expect(page).toHaveURL(/\/en\/unsubscribe\/not-a-token-anyone-holds-0000$/);
  await expect(main(page).getByRole("heading", { level: 1 })).toHaveText("This unsubscribe link is not valid");
  await expect(page).toHaveTitle(/^This unsubscribe link is not valid/);
  await expect(main(page)).toContainText("use the link in the latest email you received");
  // The site's frame (header and footer), not a bare text page.
  await expect(page.getByRole("contentinfo")).toBeVisible();
  await main(page).getByRole("link", { name: "Subscribe from the home page" }).click();
  await expect(page).toHaveURL(/\/en#newsletter$/);

  // Once the reader chose French on the site, the remembered language wins over the browser's.
  await page.goto("/fr");
  await page.goto("/api/unsubscribe/nope");
  await expect(main(page).getByRole("heading", { level: 1 })).toHaveText("Ce lien de désabonnement n’est pas valable");
  await english.close();
});
