import { startSmsc, type SmscHarness } from "../tests/helpers/smsc";
import { createGroup, expect, main, setSmsTransport, signIn, superuser, test, waitForReply } from "./support";

// Issue 5 is done when "a person can send an SMS to a group and watch it go from `pending` to
// `delivered` in the queue screen". Walked as an admin would, without reloading: the screens a
// person watches must follow the receipts by themselves. The SMSC on loopback sends no receipt of
// its own here; the test sends each one once the screen shows the SMS sent, so that no receipt
// can slip in before the screen's own refresh.
let smsc: SmscHarness;
test.beforeAll(async () => {
  smsc = await startSmsc({ receipts: "none" });
});
test.afterAll(async () => {
  await smsc?.close();
});

const submitTo = (e164: string) => smsc.submits.find((s) => `+${s.destination}` === e164);

test.describe("the SMS screens follow the receipts without a reload", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, "en", superuser());
    await setSmsTransport(page, smsc.url(), "ChoraWalk");
  });
  test.afterAll(async ({ browser }) => {
    const page = await browser.newPage({ baseURL: process.env.E2E_BASE_URL });
    await signIn(page, "en", superuser());
    await setSmsTransport(page, "", ""); // back to the outbox default, with no sender, for whatever runs next
    await page.close();
  });

  test("the queue screen, and a row's page, show a test SMS go from pending to sent to delivered", async ({ page }) => {
    await page.goto("/en/manage/queue");
    await main(page).getByText("Send a test SMS").click();
    for (const number of ["06 10 20 30 40", "06 10 20 30 43"]) {
      await main(page).getByLabel("Mobile number").fill(number);
      await main(page).getByLabel("Text", { exact: true }).fill("Walkthrough: queue screen");
      await main(page).getByRole("button", { name: "Queue the SMS" }).click();
      await expect(main(page).getByRole("status").filter({ hasText: "SMS queued" })).toBeVisible();
    }
    const rowOf = (shown: string) => main(page).getByRole("row").filter({ has: page.getByRole("link", { name: shown }) }).first();
    const row = rowOf("+33 6 10 20 30 40");
    await expect(row).toContainText("Pending");

    await main(page).getByRole("button", { name: "Send pending messages" }).click();
    await expect(row).toContainText("Sent", { timeout: 20_000 });
    await expect(rowOf("+33 6 10 20 30 43")).toContainText("Sent");
    // The receipt arrives while the admin watches: the counts and the row both say so.
    const delivered = async () => Number((await main(page).getByRole("listitem").filter({ hasText: "Delivered" }).innerText()).replace(/\D/g, ""));
    const before = await delivered();
    await smsc.sendReceipt(submitTo("+33610203040")!.messageId, "DELIVRD");
    await expect.poll(delivered).toBe(before + 1);
    await expect(row).toContainText("Delivered");

    // The other one is watched from its own page: status, receipt time and history follow.
    await rowOf("+33 6 10 20 30 43").getByRole("link", { name: "+33 6 10 20 30 43" }).click();
    await expect(page).toHaveURL(/\/en\/manage\/queue\/\d+$/);
    await expect(main(page)).toContainText(submitTo("+33610203043")!.messageId);
    await expect(main(page).getByText("Delivery receipt", { exact: true })).toBeVisible();
    const history = main(page).getByRole("table", { name: /^Status changes, oldest first/ });
    await expect(history.getByRole("row").filter({ hasText: "Delivered" })).toHaveCount(0);
    await smsc.sendReceipt(submitTo("+33610203043")!.messageId, "DELIVRD");
    // …and names what made it delivered, in words.
    await expect(history.getByRole("row").filter({ hasText: "Delivered" })).toContainText("Delivery receipt (SMPP)");
    await expect(history).not.toContainText("smpp");
  });

  test("a test SMS the SMSC refuses for good says so, and is not retried", async ({ page }) => {
    await page.goto("/en/manage/queue");
    await main(page).getByText("Send a test SMS").click();
    await main(page).getByLabel("Mobile number").fill("06 10 20 30 49");
    await main(page).getByLabel("Text", { exact: true }).fill("Walkthrough: refused");
    await main(page).getByRole("button", { name: "Queue the SMS" }).click();
    const row = main(page).getByRole("row").filter({ has: page.getByRole("link", { name: "+33 6 10 20 30 49" }) }).first();
    await expect(row).toContainText("Pending");
    smsc.failNext(0x0b); // ESME_RINVDSTADR: an invalid destination fails the same way every time
    await main(page).getByRole("button", { name: "Send pending messages" }).click();
    await expect(row).toContainText("Error", { timeout: 20_000 });
    await expect(row).toContainText("ESME_RINVDSTADR");
    await expect(row).not.toContainText("tried again automatically");
    await row.getByRole("link", { name: "+33 6 10 20 30 49" }).click();
    await expect(main(page)).toContainText("ESME_RINVDSTADR");
    await expect(main(page)).not.toContainText("Next automatic retry");
    await expect(main(page)).not.toContainText("tried again automatically");
  });

  test("an answer to a reply is seen going out and delivered on the SMS replies screen", async ({ page }) => {
    const question = `Walkthrough question ${Date.now().toString(36)}`;
    await smsc.sendInbound("+33610203050", question);
    const row = await waitForReply(page, question);
    await row.getByRole("button", { name: "Answer +33 6 10 20 30 50" }).click();
    await row.getByLabel("Your SMS to +33 6 10 20 30 50").fill("Walkthrough answer");
    await row.getByRole("button", { name: "Send" }).click();
    const badge = (status: string) => row.getByRole("link", { name: `${status}: latest answer, open it in the queue` });
    await expect(badge("Pending")).toBeVisible();

    // Sent from the queue in another tab; the replies screen, left open, follows.
    const queue = await page.context().newPage();
    await queue.goto("/en/manage/queue");
    await main(queue).getByRole("button", { name: "Send pending messages" }).click();
    await expect(main(queue).getByRole("status").filter({ hasText: "Sending started" })).toBeVisible();
    await queue.close();
    await expect(badge("Sent")).toBeVisible({ timeout: 20_000 });
    await smsc.sendReceipt(submitTo("+33610203050")!.messageId, "DELIVRD");
    await expect(badge("Delivered")).toBeVisible();
  });

  test("a send's report follows its receipts: delivered, and not delivered among the failed recipients", async ({ page }) => {
    test.setTimeout(120_000);
    const stamp = Date.now().toString(36);
    const groupPath = await createGroup(page, `Walk SMS ${stamp}`);
    const people = [
      { email: `walk-ann-${stamp}@e2e.example.org`, phone: "06 10 20 30 41", e164: "+33610203041", shown: "+33 6 10 20 30 41" },
      { email: `walk-bob-${stamp}@e2e.example.org`, phone: "06 10 20 30 42", e164: "+33610203042", shown: "+33 6 10 20 30 42" },
    ];
    for (const p of people) {
      await page.goto(groupPath);
      const add = main(page).getByRole("form", { name: "Add one address" });
      await add.getByLabel("Email address").fill(p.email);
      await add.getByLabel("Mobile number (optional)").fill(p.phone);
      await add.getByRole("button", { name: "Add", exact: true }).click();
      await expect(add.getByRole("status")).toContainText(p.email);
    }
    await page.goto("/en/manage/templates/new");
    const form = main(page).getByRole("form", { name: "Template" });
    await form.getByLabel("Name", { exact: true }).fill(`Walk SMS ${stamp}`);
    await form.getByRole("radio", { name: "SMS" }).check();
    await form.getByLabel("SMS text").fill("Walkthrough: the report follows the receipts.");
    await form.getByRole("checkbox", { name: `Walk SMS ${stamp}`, exact: true }).check();
    await form.getByRole("button", { name: "Create the template" }).click();
    await expect(page).toHaveURL(/\/en\/manage\/templates\/\d+\?created=1$/, { timeout: 30_000 });
    await main(page).getByRole("button", { name: "Send…", exact: true }).click();
    const dialog = main(page).getByRole("dialog", { name: "Send this template" });
    await expect(dialog).toContainText("It will go to 2 distinct numbers.", { timeout: 30_000 });
    await dialog.getByRole("button", { name: "Send now", exact: true }).click();
    await expect(page).toHaveURL(/\/en\/manage\/templates\/sends\/\d+\?sent=/, { timeout: 30_000 });
    const reportUrl = page.url();

    // Sent from the queue (another tab, as an admin would), then watched on the report.
    const queue = await page.context().newPage();
    await queue.goto("/en/manage/queue");
    await main(queue).getByRole("button", { name: "Send pending messages" }).click();
    await expect(main(queue).getByRole("status").filter({ hasText: "Sending started" })).toBeVisible();
    await queue.close();
    const count = (status: string) => main(page).getByRole("listitem").filter({ hasText: status });
    await expect(count("Sent")).toContainText("2", { timeout: 20_000 });
    expect(page.url()).toBe(reportUrl);

    await smsc.sendReceipt(submitTo(people[0].e164)!.messageId, "DELIVRD");
    await smsc.sendReceipt(submitTo(people[1].e164)!.messageId, "UNDELIV", "034");
    await expect(count("Delivered")).toContainText("1");
    await expect(count("Error")).toContainText("1");
    const failed = main(page).getByRole("table", { name: "Failed recipients" });
    await expect(failed.getByRole("row").filter({ hasText: people[1].shown })).toContainText("UNDELIV err:034");
    expect(page.url()).toBe(reportUrl);

    // On a phone, the failed number is read on one line, not cut in the middle ("+33 6 10 20 3" / "0 42").
    await page.setViewportSize({ width: 390, height: 844 });
    const cell = failed.getByRole("row").filter({ hasText: people[1].shown }).getByRole("cell").first();
    const linesOf = (text: string) =>
      cell.evaluate((td, wanted) => {
        const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent?.indexOf(wanted) ?? -1;
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + wanted.length);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        }
        return 0;
      }, text);
    expect(await linesOf(people[1].shown)).toBe(1);
  });
});
