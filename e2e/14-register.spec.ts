import type { Page } from "@playwright/test";
import { expect, main, newSession, outboxMailsTo, sendPending, setRegistration, signIn, superuser, test, uniqueEmail } from "./support";

// Self-registration is confirmed by email. The default site's registration is closed out of the
// box: this spec opens it in Manage » Sites and closes it again at the end. Mail leaves when the
// queue screen's button is pressed (QUEUE_SCHEDULER=off) and lands in the outbox as .eml files.

async function register(page: Page, email: string, password: string) {
  await page.goto("/en/register");
  const form = main(page);
  await form.getByLabel("Name", { exact: true }).fill("Ada Visitor");
  await form.getByLabel("Email", { exact: true }).fill(email);
  await form.getByLabel("Password", { exact: true }).fill(password);
  await form.getByLabel("Confirm the password", { exact: true }).fill(password);
  await form.getByRole("button", { name: "Create my account" }).click();
  await expect(form.getByRole("status")).toHaveText(
    `Check your inbox: we sent a link to ${email} to finish creating your account (valid 24 hours). If nothing arrives, look in your spam folder.`,
  );
}

test.describe.configure({ mode: "serial" });

test("a visitor registers, confirms from the email and is signed in; registering again answers the same", async ({ page, browser, baseURL }) => {
  const email = uniqueEmail("register");
  const password = "a visitor's own secret";
  await signIn(page, "en", superuser());
  await setRegistration(page, true);
  try {
    const visitor = await newSession(browser, baseURL);
    await register(visitor.page, email, password);
    // Not signed in yet: the header still offers to sign in.
    await expect(visitor.page.getByRole("banner").getByRole("link", { name: "Sign in", exact: true })).toBeVisible();

    await sendPending(page);
    await expect.poll(() => outboxMailsTo(email).then((m) => m.length), { timeout: 20_000 }).toBe(1);
    const [mail] = await outboxMailsTo(email);
    expect(mail.subject).toBe("chora: your account");
    const link = new URL(/https?:\/\/\S+\/register\/confirm\?token=[A-Za-z0-9_-]+/.exec(mail.text ?? "")![0]);
    expect(link.pathname).toBe("/en/register/confirm");

    await visitor.page.goto(link.pathname + link.search);
    const confirm = main(visitor.page);
    await expect(confirm.getByRole("heading", { level: 1 })).toHaveText("Finish creating your account");
    await expect(confirm).toContainText(email);
    await confirm.getByLabel("Password", { exact: true }).fill(password);
    await confirm.getByRole("button", { name: "Create my account" }).click();
    await expect(visitor.page).toHaveURL(/\/en$/);
    await expect(visitor.page.getByRole("banner").getByRole("button", { name: "Sign out" })).toBeVisible();
    await expect(visitor.page.getByRole("banner").getByRole("link", { name: "Profile" })).toBeVisible();

    // The link is spent.
    await visitor.page.goto(link.pathname + link.search);
    await expect(main(visitor.page).getByRole("alert")).toContainText("This link is no longer valid");
    await expect(main(visitor.page).getByRole("link", { name: "Register again" })).toBeVisible();
    await visitor.context.close();

    // Someone else tries the same address: the very same answer, and the owner gets a notice.
    const other = await newSession(browser, baseURL);
    await register(other.page, email, "someone else's secret");
    await other.context.close();
    await sendPending(page);
    await expect.poll(() => outboxMailsTo(email).then((m) => m.length), { timeout: 20_000 }).toBe(2);
    const notice = (await outboxMailsTo(email)).find((m) => m.text?.includes("already has an account"))!;
    expect(notice.subject).toBe("chora: your account");
    expect(notice.text).not.toContain("token=");
    expect(notice.text).toContain("/en/forgot-password");
  } finally {
    await setRegistration(page, false);
  }
});
