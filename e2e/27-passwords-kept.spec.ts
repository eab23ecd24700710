import type { Locator } from "@playwright/test";
import { createMember, emailedResetLink, expect, expectNoPasswordIn, main, newSession, outboxMailsTo, postAnswers, sendPending, setRegistration, signIn, superuser, test, uniqueEmail } from "./support";

// Every form with a password field keeps the passwords as typed when the server refuses it (a bad
// address, two passwords that differ, one too short, a wrong one), as the password change does
// (e2e/26): the person corrects one field instead of typing every password again. The server
// never sends them back (each test records what it answers); a success empties them.
// Independent of the other specs: it makes its own accounts, and closes registration again.

async function expectValues(fields: [Locator, string][]) {
  for (const [field, value] of fields) {
    await expect(field).toHaveValue(value);
    // Given back as the field's value only, never written into the page's markup.
    if ((await field.getAttribute("type")) === "password") expect(await field.getAttribute("value")).toBeNull();
  }
}

test("registering: a bad address or a confirmation that differs keeps both passwords; so does a wrong one on the emailed link", async ({ page, browser, baseURL }) => {
  const email = uniqueEmail("kept-register");
  const [chosen, other, wrong] = ["registering-secret-1", "registering-secret-2", "not-the-chosen-one-3"];
  await signIn(page, "en", superuser());
  await setRegistration(page, true);
  const visitor = await newSession(browser, baseURL);
  try {
    const p = visitor.page;
    const answers = postAnswers(p);
    await p.goto("/en/register");
    const form = main(p);
    const [address, password, confirm] = [form.getByLabel("Email", { exact: true }), form.getByLabel("Password", { exact: true }), form.getByLabel("Confirm the password", { exact: true })];
    await form.getByLabel("Name", { exact: true }).fill("Ada Keeps");
    await address.fill("ada.keeps-at-example.org");
    await password.fill(chosen);
    await confirm.fill(chosen);
    await form.getByRole("button", { name: "Create my account" }).click();
    await expect(form.getByRole("alert")).toHaveText("Please correct the highlighted fields.");
    await expect(address).toHaveAccessibleDescription("Enter a valid email address.");
    await expectValues([[address, "ada.keeps-at-example.org"], [password, chosen], [confirm, chosen]]);

    await address.fill(email);
    await confirm.fill(other);
    await form.getByRole("button", { name: "Create my account" }).click();
    await expect(confirm).toHaveAccessibleDescription("The two passwords differ.");
    await expectValues([[password, chosen], [confirm, other]]);

    await confirm.fill(chosen);
    await form.getByRole("button", { name: "Create my account" }).click();
    await expect(form.getByRole("status")).toContainText(`we sent a link to ${email}`);

    await sendPending(page);
    await expect.poll(() => outboxMailsTo(email).then((m) => m.length), { timeout: 20_000 }).toBe(1);
    const [mail] = await outboxMailsTo(email);
    const link = new URL(/https?:\/\/\S+\/register\/confirm\?token=[A-Za-z0-9_-]+/.exec(mail.text ?? "")![0]);
    await p.goto(link.pathname + link.search);
    const typed = form.getByLabel("Password", { exact: true });
    await typed.fill(wrong);
    await form.getByRole("button", { name: "Create my account" }).click();
    await expect(typed).toHaveAccessibleDescription("This is not the password chosen when registering.");
    await expect(typed).toHaveValue(wrong);
    await typed.fill(chosen);
    await form.getByRole("button", { name: "Create my account" }).click();
    await expect(p).toHaveURL(/\/en$/);

    await expectNoPasswordIn(answers, [chosen, other, wrong], 5);
  } finally {
    await visitor.context.close();
    await setRegistration(page, false);
  }
});

test("resetting a password: one too short or a confirmation that differs keeps both", async ({ page, browser, baseURL }) => {
  const email = uniqueEmail("kept-reset");
  const [short, next, other] = ["short-1", "a-new-password-1", "a-new-password-2"];
  await signIn(page, "en", superuser());
  await createMember(page, { name: "Forgets Often", email, password: "first-password-1" });

  const visitor = await newSession(browser, baseURL);
  try {
    const p = visitor.page;
    const answers = postAnswers(p);
    const link = await emailedResetLink(p, page, email);

    // The member's language is French (createMember): the same link, read in English.
    await p.goto(`/en/reset-password${link.search}`);
    const form = main(p);
    const [password, confirm] = [form.getByLabel("New password", { exact: true }), form.getByLabel("Confirm the new password", { exact: true })];
    const save = form.getByRole("button", { name: "Save my new password" });
    await password.fill(short);
    await confirm.fill(short);
    await save.click();
    await expect(form.getByRole("alert")).toHaveText("Please correct the highlighted fields.");
    await expect(password).toHaveAccessibleDescription(/At least 10 characters\..*At least 10 characters\./);
    await expectValues([[password, short], [confirm, short]]);

    await password.fill(next);
    await confirm.fill(other);
    await save.click();
    await expect(confirm).toHaveAccessibleDescription("The two passwords differ.");
    await expectValues([[password, next], [confirm, other]]);

    await confirm.fill(next);
    await save.click();
    await expect(form.getByRole("status")).toContainText("Your password has been changed.");

    await expectNoPasswordIn(answers, [short, next, other], 4);
  } finally {
    await visitor.context.close();
  }
});

test("an admin creating or editing a user: a refused form keeps both passwords, a saved one empties them", async ({ page }) => {
  const email = uniqueEmail("kept-user");
  const [first, other, later, differs] = ["admin-chosen-1", "admin-chosen-2", "admin-changed-3", "admin-changed-4"];
  await signIn(page, "en", superuser());
  const answers = postAnswers(page);
  await page.goto("/en/manage/users/new");
  const form = main(page);
  const [address, password, confirm] = [form.getByLabel("Email", { exact: true }), form.getByLabel("Password", { exact: true }), form.getByLabel("Confirm the password", { exact: true })];
  await form.getByLabel("Name", { exact: true }).fill("Made By Admin");
  await address.fill("made-by-admin.example.org");
  await password.fill(first);
  await confirm.fill(first);
  await form.getByRole("button", { name: "Create the user" }).click();
  await expect(form.getByRole("alert")).toHaveText("Please correct the highlighted fields.");
  await expect(address).toHaveAccessibleDescription("Enter a valid email address.");
  await expectValues([[password, first], [confirm, first]]);

  await address.fill(email);
  await confirm.fill(other);
  await form.getByRole("button", { name: "Create the user" }).click();
  await expect(confirm).toHaveAccessibleDescription("The two passwords differ.");
  await expectValues([[password, first], [confirm, other]]);

  await confirm.fill(first);
  await form.getByRole("button", { name: "Create the user" }).click();
  await expect(page).toHaveURL(/\/en\/manage\/users\/\d+\?created=1$/);
  await expect(form.getByRole("heading", { level: 1, name: email })).toBeVisible();

  // Setting another password on the edit screen.
  await password.fill(later);
  await confirm.fill(differs);
  await form.getByRole("button", { name: "Save", exact: true }).click();
  await expect(confirm).toHaveAccessibleDescription("The two passwords differ.");
  await expectValues([[password, later], [confirm, differs]]);

  await confirm.fill(later);
  await form.getByRole("button", { name: "Save", exact: true }).click();
  await expect(form.getByRole("status").filter({ hasText: "User saved." })).toBeVisible();
  await expectValues([[password, ""], [confirm, ""]]);

  await expectNoPasswordIn(answers, [first, other, later, differs], 5);

  // The password saved is the one typed: the member signs in with it.
  const member = await newSession(page.context().browser()!, new URL(page.url()).origin);
  try {
    await signIn(member.page, "en", { email, password: later });
  } finally {
    await member.context.close();
  }
});

// Sign-in is left out on purpose: a refused sign-in empties its password (e2e/02), the one most
// often wrong, and its form posts without JavaScript.
