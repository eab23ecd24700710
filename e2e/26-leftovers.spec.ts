import { createMember, expect, main, newSession, signIn, superuser, test, uniqueEmail } from "./support";

// Leftovers of earlier rounds: a refused password change keeps what was typed.
// Independent of the other specs: it makes its own member.

test.describe.configure({ mode: "serial" });

test("a refused password change keeps the three passwords as typed, without the server sending them back", async ({ page, browser, baseURL }) => {
  const member = { name: "Keeps typing", email: uniqueEmail("password-kept"), password: "old-password-1234" };
  await signIn(page, "en", superuser());
  await createMember(page, member);

  const own = await newSession(browser, baseURL);
  try {
    const p = own.page;
    await signIn(p, "en", member);
    await p.goto("/en/profile");
    const form = main(p).locator("form", { has: p.getByLabel("Current password", { exact: true }) });
    const current = form.getByLabel("Current password", { exact: true });
    const next = form.getByLabel("New password", { exact: true });
    const confirm = form.getByLabel("Confirm the new password", { exact: true });
    // What the server answers the form: never a password (the fields keep them in the browser).
    const answers: string[] = [];
    p.on("response", async (response) => {
      if (response.request().method() === "POST") answers.push(await response.text().catch(() => ""));
    });

    // A wrong current password: refused on its field, and nothing typed is lost.
    await current.fill("not-the-password-1");
    await next.fill("brand-new-password-1");
    await confirm.fill("brand-new-password-1");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert")).toHaveText("The current password is not correct.");
    await expect(current).toHaveValue("not-the-password-1");
    await expect(next).toHaveValue("brand-new-password-1");
    await expect(confirm).toHaveValue("brand-new-password-1");

    // A confirmation that differs (refused by the form's schema): the same.
    await current.fill(member.password);
    await confirm.fill("brand-new-password-2");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert")).toHaveText("Please correct the highlighted fields.");
    await expect(confirm).toHaveAccessibleDescription("The two passwords differ.");
    await expect(current).toHaveValue(member.password);
    await expect(next).toHaveValue("brand-new-password-1");
    await expect(confirm).toHaveValue("brand-new-password-2");

    // Changed: the fields are emptied.
    await confirm.fill("brand-new-password-1");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("status")).toContainText("Password changed.");
    for (const field of [current, next, confirm]) await expect(field).toHaveValue("");

    expect(answers.length).toBeGreaterThanOrEqual(3);
    for (const secret of ["not-the-password-1", "brand-new-password-1", "brand-new-password-2", member.password]) {
      expect(answers.filter((a) => a.includes(secret))).toEqual([]);
    }
  } finally {
    await own.context.close();
  }
});
