import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import type { Page } from "@playwright/test";
import { expect, main, ownGroup, sendPending, signIn, superuser, test, uniqueEmail } from "./support";

// Independent of the other specs: it makes its own group of confirmed subscribers. Mail leaves
// only when the queue screen's button is pressed (QUEUE_SCHEDULER=off).
const subjectPrefix = "Spring news for";

type Letter = { file: string; to: string; mail: ParsedMail; unsubscribe: string; unsubscribePost: string };

/** Every newsletter of this spec in the outbox, keyed by file (one file per queue row). */
async function outboxLetters(): Promise<Letter[]> {
  const root = path.join(process.env.E2E_TMP_DIR!, "data", "outbox");
  if (!existsSync(root)) return [];
  const letters: Letter[] = [];
  for (const site of readdirSync(root)) {
    for (const file of readdirSync(path.join(root, site))) {
      if (!file.endsWith(".eml")) continue;
      const mail = await simpleParser(readFileSync(path.join(root, site, file)));
      if (!mail.subject?.startsWith(subjectPrefix)) continue;
      const header = (key: string) => {
        const line = mail.headerLines.find((h) => h.key === key)?.line ?? "";
        return line.replace(/\r?\n[ \t]+/g, " ").replace(/^[^:]+:\s*/, "").trim();
      };
      const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address ?? ""))[0] ?? "";
      letters.push({ file: `${site}/${file}`, to: to.toLowerCase(), mail, unsubscribe: header("list-unsubscribe"), unsubscribePost: header("list-unsubscribe-post") });
    }
  }
  return letters;
}

/** The confirmed subscribers of the group, read from the Subscriptions screens. */
async function confirmedSubscribers(page: Page, group: { path: string; label: string }) {
  await page.goto("/en/manage/subscriptions");
  const link = main(page).getByRole("link", { name: new RegExp(`^${group.label}, Confirmed: \\d+$`) });
  const count = Number(/(\d+)$/.exec((await link.getAttribute("aria-label"))!)![1]);
  await page.goto(`${group.path}?status=confirmed`);
  const rows = main(page).getByRole("row").filter({ hasText: "Confirmed" }).filter({ hasText: /@/ });
  await expect(rows).toHaveCount(count);
  const emails = (await rows.allInnerTexts()).map((t) => /[^\s@]+@[^\s@]+\.[a-z]+/i.exec(t)![0].toLowerCase());
  return { count, emails: emails.sort() };
}

/** "Send now" from the template's page; `again`: it was sent minutes ago, which the dialog says first. */
async function sendNow(page: Page, templateUrl: string, expected: number, again = false) {
  await page.goto(templateUrl);
  await main(page).getByRole("button", { name: "Send…", exact: true }).click();
  const dialog = main(page).getByRole("dialog", { name: "Send this template" });
  await expect(dialog).toContainText(expected === 1 ? "It will go to 1 recipient." : `It will go to ${expected} distinct recipients.`, { timeout: 30_000 });
  const warning = dialog.getByText(/^Already sent on .+\. Sending it again sends it a second time to everyone/);
  if (again) await expect(warning.getByRole("link", { name: "see the report" })).toHaveAttribute("href", /\/en\/manage\/templates\/sends\/\d+$/);
  else await expect(warning).toHaveCount(0);
  await expect(dialog.getByRole("radio", { name: "Send now" })).toBeChecked();
  await dialog.getByRole("button", { name: "Send now", exact: true }).click();
  await expect(page).toHaveURL(/\/en\/manage\/templates\/sends\/\d+\?sent=/, { timeout: 30_000 });
}

test.describe.configure({ mode: "serial" });

test("an admin writes a newsletter, previews it as a subscriber, sends it; one-click unsubscribe removes that address from the next send", async ({ page, request, baseURL }) => {
  test.setTimeout(240_000);
  await signIn(page, "en", superuser());
  // Three confirmed subscribers: one leaves, one leaves by mistake and comes back, one stays.
  const members = ["spring-a", "spring-b", "spring-c"].map((prefix) => uniqueEmail(prefix));
  const readers = await ownGroup(page, "Spring readers", members.map((email) => ({ email })));
  const group = readers.label;
  const confirmed = await confirmedSubscribers(page, readers);
  expect(confirmed.emails).toEqual([...members].sort());

  // 1. The template.
  await page.goto("/en/manage/templates/new");
  const form = main(page).getByRole("form", { name: "Template" });
  await form.getByLabel("Name", { exact: true }).fill(`Spring letter ${Date.now().toString(36)}`);
  await form.getByLabel("Subject", { exact: true }).fill(`${subjectPrefix} {{name}}`);
  await form.getByLabel("HTML body", { exact: true }).fill('<p>Hello {{email}},</p><p>Spring is here.</p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>');
  await form.getByRole("checkbox", { name: group, exact: true }).check();
  await form.getByRole("button", { name: "Create the template" }).click();
  await expect(page).toHaveURL(/\/en\/manage\/templates\/\d+\?created=1$/, { timeout: 30_000 });
  const templateUrl = new URL(page.url()).pathname;
  await expect(main(page).getByRole("checkbox", { name: group, exact: true })).toBeChecked();

  // 2. Preview as one of the subscribers.
  const chosen = confirmed.emails[0];
  const search = main(page).getByRole("searchbox", { name: "Preview as a subscriber" });
  await search.fill(chosen.split("@")[0]);
  await main(page).getByRole("button", { name: chosen }).click();
  await expect(main(page)).toContainText(`Shown as ${chosen}, with their real unsubscribe link.`);
  const frame = main(page).frameLocator("iframe[title='Preview of the HTML message']");
  await expect(frame.locator("body")).toContainText(`Hello ${chosen}`, { timeout: 20_000 });
  await expect(frame.getByRole("link", { name: "Unsubscribe" })).toHaveAttribute("href", /\/api\/unsubscribe\//);

  // 3. Send now, to every confirmed subscriber of the group.
  await sendNow(page, templateUrl, confirmed.count);

  // 4. The queue sends them: one letter per recipient, with one-click unsubscribe headers.
  await sendPending(page);
  await expect.poll(async () => (await outboxLetters()).length, { timeout: 60_000 }).toBe(confirmed.count);
  const first = await outboxLetters();
  expect(first.map((l) => l.to).sort()).toEqual(confirmed.emails);
  for (const letter of first) {
    expect(letter.unsubscribe).toMatch(/^<https?:\/\/[^>\s]+\/api\/unsubscribe\/[A-Za-z0-9_-]+>$/);
    expect(letter.unsubscribePost).toBe("List-Unsubscribe=One-Click");
  }

  // 5. One recipient's mail client unsubscribes in one click.
  const leaver = first.find((l) => l.to === chosen)!;
  const url = new URL(leaver.unsubscribe.slice(1, -1));
  const response = await request.post(`${baseURL}${url.pathname}${url.search}`, {
    data: "List-Unsubscribe=One-Click",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  expect(response.status()).toBe(200);
  await page.goto(`${readers.path}?q=${encodeURIComponent(chosen)}`);
  await expect(main(page).getByRole("row").filter({ hasText: chosen })).toContainText("Unsubscribed");

  // 5b. Another opens the link in a browser, leaves the group (their only one) by mistake and
  // takes it back: no talk of other subscriptions, no "everything", and they are subscribed again.
  const token = new URL(first.find((l) => l.to === confirmed.emails[1])!.unsubscribe.slice(1, -1)).pathname.split("/").pop();
  await page.goto(`/en/unsubscribe/${token}`);
  await main(page).getByRole("button", { name: `Unsubscribe from ${group}` }).click();
  await expect(main(page).getByRole("status")).toHaveText(`Done: you will no longer receive “${group}”.`);
  await expect(main(page).getByRole("button", { name: "Unsubscribe from everything" })).toHaveCount(0);
  await main(page).getByRole("button", { name: `I clicked by mistake: subscribe me again to “${group}”` }).click();
  await expect(main(page).getByRole("status")).toHaveText(`Undone: your subscription to “${group}” is back.`);
  await expect(main(page).getByRole("listitem").filter({ hasText: group })).toContainText("Subscribed");

  // 6. A new send of the same template: one recipient fewer, and the leaver gets nothing.
  await sendNow(page, templateUrl, confirmed.count - 1, true);
  await sendPending(page);
  const seen = new Set(first.map((l) => l.file));
  const fresh = async () => (await outboxLetters()).filter((l) => !seen.has(l.file));
  await expect.poll(async () => (await fresh()).length, { timeout: 60_000 }).toBe(confirmed.count - 1);
  const second = await fresh();
  expect(second.map((l) => l.to).sort()).toEqual(confirmed.emails.filter((e) => e !== chosen));
  expect(second.some((l) => l.to === chosen)).toBe(false);
});
