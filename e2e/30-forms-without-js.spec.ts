import type { Browser, Locator, Page } from "@playwright/test";
import { createMember, emailedResetLink, expect, expectNoPasswordIn, main, outboxMailsTo, postAnswers, sendPending, setRegistration, signIn, superuser, test, uniqueEmail } from "./support";

// The forms that keep typed passwords after a refusal (e2e/26, e2e/27) post without JavaScript
// too, as every form whose action is a server action does: the browser sends the form, the
// server runs the action and answers with the page, its message translated. The kept passwords
// are the browser script's doing: without it a refused form comes back with its password fields
// empty (the server never echoes one), its other fields as typed.
// Independent of the other specs: it makes its own accounts, and closes registration again.

/** A browser session of its own, with JavaScript turned off. */
async function withoutScript(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL, locale: "en-GB", javaScriptEnabled: false });
  return { context, page: await context.newPage() };
}

/** A password field after a refusal without script: empty, and no value in the markup. */
async function expectEmptied(fields: Locator[]) {
  for (const field of fields) {
    await expect(field).toHaveValue("");
    expect(await field.getAttribute("value")).toBeNull();
  }
}

const signedIn = (page: Page) => page.getByRole("button", { name: "Sign out" });

test("registering and confirming the emailed link, without JavaScript", async ({ page, browser, baseURL }) => {
  const email = uniqueEmail("nojs-register");
  const [chosen, wrong] = ["nojs-registering-1", "nojs-not-chosen-2"];
  await signIn(page, "en", superuser());
  await setRegistration(page, true);
  const visitor = await withoutScript(browser, baseURL);
  try {
    const p = visitor.page;
    const answers = postAnswers(p);
    await p.goto("/en/register");
    const form = main(p);
    const [name, address, password, confirm] = ["Name", "Email", "Password", "Confirm the password"].map((label) => form.getByLabel(label, { exact: true }));
    const submit = form.getByRole("button", { name: "Create my account" });
    await name.fill("Ada Sans Script");
    await address.fill("ada-at-example.org");
    await password.fill(chosen);
    await confirm.fill(chosen);
    await submit.click();
    await expect(form.getByRole("alert")).toHaveText("Please correct the highlighted fields.");
    await expect(address).toHaveAccessibleDescription("Enter a valid email address.");
    await expect(name).toHaveValue("Ada Sans Script");
    await expect(address).toHaveValue("ada-at-example.org");
    await expectEmptied([password, confirm]);

    await address.fill(email);
    await password.fill(chosen);
    await confirm.fill(chosen);
    await submit.click();
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
    await expectEmptied([typed]);
    await typed.fill(chosen);
    await form.getByRole("button", { name: "Create my account" }).click();
    await expect(p).toHaveURL(/\/en$/);
    await expect(signedIn(p)).toBeVisible();

    await expectNoPasswordIn(answers, [chosen, wrong], 4);
  } finally {
    await visitor.context.close();
    await setRegistration(page, false);
  }
});

test("resetting a password by the emailed link, without JavaScript", async ({ page, browser, baseURL }) => {
  const email = uniqueEmail("nojs-reset");
  const [short, next, other] = ["short-2", "nojs-new-password-1", "nojs-new-password-2"];
  await signIn(page, "en", superuser());
  await createMember(page, { name: "Sans Script", email, password: "first-password-2" });

  const visitor = await withoutScript(browser, baseURL);
  try {
    const p = visitor.page;
    const answers = postAnswers(p);
    const link = await emailedResetLink(p, page, email);

    await p.goto(`/en/reset-password${link.search}`);
    const form = main(p);
    const [password, confirm] = [form.getByLabel("New password", { exact: true }), form.getByLabel("Confirm the new password", { exact: true })];
    const save = form.getByRole("button", { name: "Save my new password" });
    await password.fill(short);
    await confirm.fill(short);
    await save.click();
    await expect(form.getByRole("alert")).toHaveText("Please correct the highlighted fields.");
    await expect(password).toHaveAccessibleDescription(/At least 10 characters\./);
    await expectEmptied([password, confirm]);

    await password.fill(next);
    await confirm.fill(other);
    await save.click();
    await expect(confirm).toHaveAccessibleDescription("The two passwords differ.");

    await password.fill(next);
    await confirm.fill(next);
    await save.click();
    // Shown though the page, rendered again after the action, finds the link used.
    await expect(form.getByRole("status")).toContainText("Your password has been changed.");
    await expectNoPasswordIn(answers, [short, next, other], 4);
    await p.goto(`/en/reset-password${link.search}`);
    await expect(form.getByRole("alert")).toContainText("This link is no longer valid");

    // The new password is the one saved.
    await signIn(p, "en", { email, password: next });
    await expect(signedIn(p)).toBeVisible();
  } finally {
    await visitor.context.close();
  }
});

test("changing one's password from the profile, without JavaScript", async ({ page, browser, baseURL }) => {
  const member = { name: "Profil Sans Script", email: uniqueEmail("nojs-profile"), password: "old-password-nojs" };
  const next = "nojs-changed-password-1";
  await signIn(page, "en", superuser());
  await createMember(page, member);

  const own = await withoutScript(browser, baseURL);
  try {
    const p = own.page;
    // Signing in posts without JavaScript too.
    await signIn(p, "en", member);
    await p.goto("/en/profile");
    const answers = postAnswers(p);
    const form = main(p).locator("form", { has: p.getByLabel("Current password", { exact: true }) });
    const [current, password, confirm] = ["Current password", "New password", "Confirm the new password"].map((label) => form.getByLabel(label, { exact: true }));
    const change = form.getByRole("button", { name: "Change password" });

    await current.fill("not-the-password-nojs");
    await password.fill(next);
    await confirm.fill(next);
    await change.click();
    await expect(form.getByRole("alert")).toHaveText("The current password is not correct.");
    await expectEmptied([current, password, confirm]);

    await current.fill(member.password);
    await password.fill(next);
    await confirm.fill(next);
    await change.click();
    await expect(form.getByRole("status")).toContainText("Password changed.");
    await expectNoPasswordIn(answers, ["not-the-password-nojs", member.password, next], 2);
    // This browser got a new session: still signed in.
    await p.goto("/en/profile");
    await expect(p).toHaveURL(/\/en\/profile$/);
  } finally {
    await own.context.close();
  }
  // The new password is the one saved.
  const again = await withoutScript(browser, baseURL);
  try {
    await signIn(again.page, "en", { email: member.email, password: next });
  } finally {
    await again.context.close();
  }
});

test("an admin creating and editing a user, without JavaScript", async ({ browser, baseURL }) => {
  const email = uniqueEmail("nojs-user");
  const [first, later, differs] = ["nojs-admin-chosen-1", "nojs-admin-changed-2", "nojs-admin-changed-3"];
  const admin = await withoutScript(browser, baseURL);
  try {
    const p = admin.page;
    await signIn(p, "en", superuser());
    const answers = postAnswers(p);
    await p.goto("/en/manage/users/new");
    const form = main(p);
    const [name, address, password, confirm] = ["Name", "Email", "Password", "Confirm the password"].map((label) => form.getByLabel(label, { exact: true }));
    await name.fill("Made Without Script");
    await address.fill("made-without-script.example.org");
    await password.fill(first);
    await confirm.fill(first);
    await form.getByRole("button", { name: "Create the user" }).click();
    await expect(form.getByRole("alert")).toHaveText("Please correct the highlighted fields.");
    await expect(address).toHaveAccessibleDescription("Enter a valid email address.");
    await expect(name).toHaveValue("Made Without Script");
    await expectEmptied([password, confirm]);

    await address.fill(email);
    await password.fill(first);
    await confirm.fill(first);
    await form.getByRole("button", { name: "Create the user" }).click();
    await expect(p).toHaveURL(/\/en\/manage\/users\/\d+\?created=1$/);
    await expect(form.getByRole("heading", { level: 1, name: email })).toBeVisible();

    await password.fill(later);
    await confirm.fill(differs);
    await form.getByRole("button", { name: "Save", exact: true }).click();
    await expect(confirm).toHaveAccessibleDescription("The two passwords differ.");
    await expectEmptied([password, confirm]);

    await password.fill(later);
    await confirm.fill(later);
    await form.getByRole("button", { name: "Save", exact: true }).click();
    await expect(form.getByRole("status").filter({ hasText: "User saved." })).toBeVisible();
    await expectEmptied([password, confirm]);
    await expectNoPasswordIn(answers, [first, later, differs], 4);
  } finally {
    await admin.context.close();
  }
  // The password saved is the one typed: the member signs in with it.
  const member = await withoutScript(browser, baseURL);
  try {
    await signIn(member.page, "en", { email, password: later });
  } finally {
    await member.context.close();
  }
});
