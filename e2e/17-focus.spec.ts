import type { Page } from "@playwright/test";
import { startSmsc } from "../tests/helpers/smsc";
import { createGroup, expect, main, pasteIntoGroup, setSmsTransport, signIn, superuser, test, uniqueEmail } from "./support";

// Keyboard focus after actions and dialogs: on the field to correct, back on the opener, or on
// the message that replaced the pressed button; never dropped on the page body. Independent of
// the other specs: it makes its own group, addresses and template.

test.describe.configure({ mode: "serial" });

let transportSet = false;
// The SMSC a test starts is gone once it ends: the site goes back to the outbox, so the specs
// that follow do not send to a closed port (and a failed step does not leave it set either).
test.afterEach(async ({ page }) => {
  if (!transportSet) return;
  await setSmsTransport(page, "");
  transportSet = false;
});

test("a refused translation puts focus on the invalid field", async ({ page }) => {
  await signIn(page, "en", superuser());
  await page.goto("/en/manage/i18n?q=home.intro");
  const row = main(page).getByRole("form", { name: "home.intro", exact: true });
  // The second field, so focus is not merely on the first one by chance.
  await row.getByLabel("English").fill("Broken {");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("alert")).toBeVisible();
  await expect(row.getByLabel("English")).toBeFocused();
  await expect(row.getByLabel("English")).toHaveAttribute("aria-invalid", "true");
});

/** A new group holding `emails` (added as confirmed); returns its page's path and label. */
async function groupWith(page: Page, emails: string[]) {
  const label = `Focus group ${Date.now().toString(36)}`;
  const path = await createGroup(page, label);
  await pasteIntoGroup(page, emails);
  return { path, label };
}

/** The real unsubscribe token of `email`, read from a template's preview as that subscriber. */
async function unsubscribeToken(page: Page, group: string, email: string) {
  await page.goto("/en/manage/templates/new");
  const form = main(page).getByRole("form", { name: "Template" });
  await form.getByLabel("Name", { exact: true }).fill(`Focus letter ${Date.now().toString(36)}`);
  await form.getByLabel("Subject", { exact: true }).fill("Focus");
  await form.getByLabel("HTML body", { exact: true }).fill('<p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>');
  await form.getByRole("checkbox", { name: group, exact: true }).check();
  await form.getByRole("button", { name: "Create the template" }).click();
  await expect(page).toHaveURL(/\/en\/manage\/templates\/\d+\?created=1$/, { timeout: 30_000 });
  await main(page).getByRole("searchbox", { name: "Preview as a subscriber" }).fill(email.split("@")[0]);
  await main(page).getByRole("button", { name: email }).click();
  await expect(main(page)).toContainText(`Shown as ${email}, with their real unsubscribe link.`);
  const link = main(page).frameLocator("iframe[title='Preview of the HTML message']").getByRole("link", { name: "Unsubscribe" });
  // Until the preview has redrawn for this subscriber, the link holds a sample token.
  await expect(link).toHaveAttribute("href", /\/api\/unsubscribe\/(?!sample$)[A-Za-z0-9_-]+$/, { timeout: 20_000 });
  return new URL((await link.getAttribute("href"))!, "http://x").pathname.split("/").pop()!;
}

test("focus stays with the person: the unsubscribe page's answers, and the Remove dialog", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "en", superuser());
  const [leaver, kept, removed] = [uniqueEmail("focus-leaver"), uniqueEmail("focus-kept"), uniqueEmail("focus-removed")];
  const group = await groupWith(page, [leaver, kept, removed]);

  // The unsubscribe page: each pressed button goes, and its answer takes focus.
  const token = await unsubscribeToken(page, group.label, leaver);
  await page.goto(`/en/unsubscribe/${token}`);
  await main(page).getByRole("button", { name: `Unsubscribe from ${group.label}` }).click();
  const status = main(page).getByRole("status");
  await expect(status).toHaveText(`Done: you will no longer receive “${group.label}”.`);
  await expect(status).toBeFocused();
  await main(page).getByRole("button", { name: `I clicked by mistake: subscribe me again to “${group.label}”` }).click();
  await expect(status).toHaveText(`Undone: your subscription to “${group.label}” is back.`);
  await expect(status).toBeFocused();

  // The Remove dialog: closed, focus is back on "Remove…"; confirmed, the selection is gone
  // (so is the button's use) and the page's notice saying what happened has focus.
  await page.goto(group.path);
  await main(page).getByRole("checkbox", { name: `Select ${removed}` }).check();
  const remove = main(page).getByRole("button", { name: "Remove…" });
  await remove.click();
  const dialog = main(page).getByRole("dialog", { name: "Remove subscriptions" });
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  await expect(remove).toBeFocused();

  await remove.click();
  await dialog.getByRole("button", { name: "Remove", exact: true }).click();
  const notice = main(page).getByRole("status").filter({ hasText: "1 subscription removed." });
  await expect(notice).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(notice).toBeFocused();
  await expect(main(page).getByRole("row").filter({ hasText: kept })).toBeVisible();
});

test("focus after the SMS and queue actions: the group's paste, a template's test, the queue's run, a send's retry", async ({ page }) => {
  test.setTimeout(240_000);
  // A real SMSC on loopback that refuses the send's submit as an unknown number (permanent), so
  // the send has a failure to retry.
  const smsc = await startSmsc({ receipts: "none" });
  try {
    await signIn(page, "en", superuser());
    transportSet = true;
    await setSmsTransport(page, smsc.url());

    // The paste form is re-created with what it should now hold (its button too): the report
    // that replaced it takes focus, not the page body.
    const stamp = Date.now().toString(36);
    const group = await groupWith(page, [uniqueEmail("focus-paste")]);
    const paste = main(page).getByRole("form", { name: "Paste addresses" });
    await paste.getByLabel("Addresses", { exact: true }).fill(`${uniqueEmail("focus-paste")}\nnot an address`);
    await paste.getByRole("button", { name: "Add these addresses" }).press("Enter");
    await expect(paste.getByRole("status")).toContainText("Added: 1.");
    await expect(paste.getByRole("status")).toBeFocused();

    const one = main(page).getByRole("form", { name: "Add one address" });
    await one.getByLabel("Email address").fill(uniqueEmail("focus-sms"));
    await one.getByLabel("Mobile number (optional)").fill("06 31 42 53 64");
    await one.getByRole("button", { name: "Add", exact: true }).click();
    await expect(one.getByRole("status")).toBeVisible();

    // A template's test: a refused number puts focus on the number; a queued test on its answer.
    await page.goto("/en/manage/templates/new");
    const form = main(page).getByRole("form", { name: "Template" });
    await form.getByLabel("Name", { exact: true }).fill(`Focus SMS ${stamp}`);
    await form.getByRole("radio", { name: "SMS" }).check();
    await form.getByLabel("SMS text").fill("Focus test.");
    await form.getByRole("checkbox", { name: group.label, exact: true }).check();
    await form.getByRole("button", { name: "Create the template" }).click();
    await expect(page).toHaveURL(/\/en\/manage\/templates\/\d+\?created=1$/, { timeout: 30_000 });
    const test = main(page).getByRole("form", { name: "Test send" });
    const number = test.getByLabel("Send a test SMS to");
    await number.fill("0123");
    await test.getByRole("button", { name: "Send a test" }).press("Enter");
    await expect(number).toHaveAttribute("aria-invalid", "true");
    await expect(number).toBeFocused();
    await number.fill("+44 7911 123456");
    await test.getByRole("button", { name: "Send a test" }).press("Enter");
    await expect(test.getByRole("status")).toContainText("Test SMS queued for +44 7911 123456.");
    await expect(test.getByRole("status")).toBeFocused();

    await main(page).getByRole("button", { name: "Send…", exact: true }).click();
    const send = main(page).getByRole("dialog", { name: "Send this template" });
    await expect(send).toContainText("It will go to 1 number.", { timeout: 30_000 });
    await send.getByRole("button", { name: "Send now", exact: true }).click();
    await expect(page).toHaveURL(/\/en\/manage\/templates\/sends\/\d+\?sent=/, { timeout: 30_000 });
    const report = page.url().replace(/\?.*$/, "");

    // The queue's run: both buttons are disabled while it starts; its answer takes focus.
    smsc.failNext(0x0b, 100); // ESME_RINVDSTADR
    await page.goto("/en/manage/queue");
    await main(page).getByRole("button", { name: "Send pending messages" }).press("Enter");
    const started = main(page).getByRole("status").filter({ hasText: "Sending started" });
    await expect(started).toBeVisible();
    await expect(started).toBeFocused();

    // A send's retry: confirmed, its rows are pending again, the button goes with the failures,
    // and the answer standing in its place has focus.
    await page.goto(report);
    const retry = main(page).getByRole("button", { name: "Retry the failures" });
    await expect(retry).toBeVisible({ timeout: 30_000 });
    await retry.click();
    const dialog = main(page).getByRole("dialog", { name: "Retry the failures?" });
    await dialog.getByRole("button", { name: "Retry", exact: true }).press("Enter");
    const done = main(page).getByRole("status").filter({ hasText: "1 message put back in the queue." });
    await expect(done).toBeVisible();
    await expect(retry).toBeHidden();
    await expect(done).toBeFocused();
  } finally {
    await smsc.close();
  }
});
