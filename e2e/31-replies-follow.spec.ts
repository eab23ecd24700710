import type { Page } from "@playwright/test";
import { startSmsc, type SmscHarness } from "../tests/helpers/smsc";
import { createMember, expect, main, setSmsTransport, signIn, submitSignIn, superuser, test, uniqueEmail, waitForReply } from "./support";

// SMS replies left open (components/sms/replies-follower.tsx): one route polled for both the new
// replies and the shown answers' badges; an answer being written never pushed off its page; news
// only of replies the filters keep, and every arrival announced, not only the first.
let smsc: SmscHarness;
test.beforeAll(async () => {
  smsc = await startSmsc({ receipts: "none" });
});

test.beforeEach(async ({ page }) => {
  await signIn(page, "en", superuser());
  await setSmsTransport(page, smsc.url());
});
test.afterAll(async ({ browser }) => {
  try {
    const page = await browser.newPage({ baseURL: process.env.E2E_BASE_URL });
    await signIn(page, "en", superuser());
    await setSmsTransport(page, ""); // back to the outbox default for whatever runs next
    await page.close();
  } finally {
    await smsc?.close(); // after: the app stops listening to it first
  }
});

/** `count` replies from +336103070XX-like numbers (`block` gives the 7th and 8th digits), texts "<tag> #i." */
async function replies(block: string, tag: string, count: number) {
  for (let i = 0; i < count; i++) await smsc.sendInbound(`+3361030${block}${String(i).padStart(2, "0")}`, `${tag} #${i}.`);
}

/** The filtered screen, once the listener stored the `count` replies tagged `tag` (looked for by reloading). */
async function openFiltered(page: Page, block: string, tag: string, count: number) {
  const url = `/en/manage/sms-replies?q=${encodeURIComponent(`06 10 30 ${block}`)}`;
  await expect
    .poll(async () => {
      await page.goto(url);
      return main(page).getByRole("row").filter({ hasText: tag }).count();
    }, { timeout: 30_000 })
    .toBe(count);
}

/** Two answers of the screen's own route after now: whatever came before them has been seen (and acted on). */
async function twoPolls(page: Page) {
  for (let i = 0; i < 2; i++) await page.waitForResponse((r) => new URL(r.url()).pathname.startsWith("/api/sms/replies/"), { timeout: 20_000 });
  await page.waitForTimeout(1_000); // a refresh it started lands
}

/** What the page's live regions were given to say about new replies, one entry per announcement. */
async function hearNews(page: Page) {
  await page.addInitScript(() => {
    const heard: string[] = [];
    (window as unknown as { heard: string[] }).heard = heard;
    new MutationObserver((records) => {
      for (const r of records) {
        const at = r.target instanceof Element ? r.target : r.target.parentElement;
        if (!at?.closest("[role=status]")) continue;
        const said = r.type === "characterData" ? [r.target.textContent ?? ""] : [...r.addedNodes].map((n) => n.textContent ?? "");
        heard.push(...said.filter((s) => /new repl/i.test(s)));
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  return {
    said: () => page.evaluate(() => [...(window as unknown as { heard: string[] }).heard]),
    forget: () => page.evaluate(() => void (window as unknown as { heard: string[] }).heard.splice(0)),
  };
}

test("a new reply on a full first page does not push away the answer being written", async ({ page }) => {
  const tag = `Full ${Date.now().toString(36)}`;
  await replies("70", tag, 50);
  await openFiltered(page, "70", tag, 50);
  const row = (text: string) => main(page).getByRole("row").filter({ hasText: `${tag} ${text}` });
  const lastRow = row("#0.");
  await lastRow.getByRole("button", { name: "Answer +33 6 10 30 70 00" }).click();
  const draft = lastRow.getByLabel("Your SMS to +33 6 10 30 70 00");
  await draft.fill("An answer on the last row");

  await smsc.sendInbound("+33610307050", `${tag} newest.`);
  await twoPolls(page);
  // The list stays as it is while the answer is written; the news is said, with a way to see it.
  await expect(draft).toHaveValue("An answer on the last row");
  await expect(row("newest.")).toHaveCount(0);
  const notice = main(page).getByRole("status").filter({ has: page.getByRole("button", { name: "Show the newest" }) });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("A new reply matching these filters has arrived.");
  const show = notice.getByRole("button", { name: "Show the newest" });

  // Asked for (from the keyboard), the newest is shown; the button went with the news, and the
  // focus is on the list that starts with it, not back at the page's top. The last row went on to
  // the next page, its draft with it.
  await show.focus();
  await page.keyboard.press("Enter");
  await expect(row("newest.")).toBeVisible();
  await expect(show).toHaveCount(0);
  await expect(main(page).getByRole("region", { name: "SMS received, newest first" })).toBeFocused();
  await expect(lastRow).toHaveCount(0);
  await main(page).getByRole("link", { name: "Next page" }).click();
  await lastRow.getByRole("button", { name: "Answer +33 6 10 30 70 00" }).click();
  await expect(draft).toHaveValue("An answer on the last row");
});

test("on a filtered screen only replies that match are news, and every arrival is announced", async ({ page }) => {
  const tag = `Filtered ${Date.now().toString(36)}`;
  const heard = await hearNews(page);
  await replies("71", tag, 51);
  await openFiltered(page, "71", tag, 50);
  await main(page).getByRole("link", { name: "Next page" }).click();
  await expect(main(page).getByRole("row").filter({ hasText: `${tag} #0.` })).toBeVisible();
  await heard.forget();

  // A later page: a reply the filter leaves out is no news; those it keeps are, each one said.
  await smsc.sendInbound("+33610307250", `${tag} outside.`);
  await twoPolls(page);
  expect(await heard.said()).toEqual([]);
  const notice = main(page).getByRole("status").filter({ has: page.getByRole("link", { name: "Show the newest" }) });
  await expect(notice).toHaveCount(0);
  await smsc.sendInbound("+33610307151", `${tag} first news.`);
  await expect(notice).toContainText("A new reply matching these filters has arrived.", { timeout: 20_000 });
  await smsc.sendInbound("+33610307152", `${tag} second news.`);
  await expect(notice).toContainText("2 new replies matching these filters have arrived.", { timeout: 20_000 });
  expect(await heard.said()).toHaveLength(2);

  // The first page shows them as they come, and says so each time.
  await notice.getByRole("link", { name: "Show the newest" }).click();
  const row = (text: string) => main(page).getByRole("row").filter({ hasText: `${tag} ${text}` });
  await expect(row("second news.")).toBeVisible();
  await heard.forget();
  await smsc.sendInbound("+33610307251", `${tag} outside again.`);
  await twoPolls(page);
  expect(await heard.said()).toEqual([]);
  await smsc.sendInbound("+33610307153", `${tag} third news.`);
  await expect(row("third news.")).toBeVisible({ timeout: 20_000 });
  await expect.poll(async () => (await heard.said()).length).toBe(1);
  await smsc.sendInbound("+33610307154", `${tag} fourth news.`);
  await expect(row("fourth news.")).toBeVisible({ timeout: 20_000 });
  await expect.poll(async () => (await heard.said()).length).toBe(2);
});

test("a later page keeps its news, still to be shown, when rendered again by an answer sent from it", async ({ page }) => {
  const tag = `Later ${Date.now().toString(36)}`;
  await replies("74", tag, 51);
  await openFiltered(page, "74", tag, 50);
  await main(page).getByRole("link", { name: "Next page" }).click();
  const row = main(page).getByRole("row").filter({ hasText: `${tag} #0.` });
  await expect(row).toBeVisible();
  const notice = main(page).getByRole("status").filter({ has: page.getByRole("link", { name: "Show the newest" }) });
  await smsc.sendInbound("+33610307451", `${tag} news.`);
  await expect(notice).toContainText("A new reply matching these filters has arrived.", { timeout: 20_000 });

  // Answering a reply of this page renders it again (with a newer `since`): the reply that arrived
  // is still not on it, so the news stays, and the next arrival adds to it.
  await row.getByRole("button", { name: "Answer +33 6 10 30 74 00" }).click();
  await row.getByLabel("Your SMS to +33 6 10 30 74 00").fill("Answered from a later page");
  await row.getByRole("button", { name: "Send" }).click();
  await expect(row.getByRole("link", { name: "Pending: latest answer, open it in the queue" })).toBeVisible();
  await twoPolls(page);
  await expect(notice).toContainText("A new reply matching these filters has arrived.");
  await smsc.sendInbound("+33610307452", `${tag} more news.`);
  await expect(notice).toContainText("2 new replies matching these filters have arrived.", { timeout: 20_000 });
});

test("a draft kept in the tab is its writer's: another admin signing in on the tab does not find it", async ({ page }) => {
  const tag = `Draft ${Date.now().toString(36)}`;
  const other = { name: "Second Admin", email: uniqueEmail("replies-draft"), password: "second-admin-pass-1" };
  await createMember(page, other, "admin");
  await smsc.sendInbound("+33610307501", `${tag}.`);
  const row = await waitForReply(page, tag);
  await row.getByRole("button", { name: "Answer +33 6 10 30 75 01" }).click();
  await row.getByLabel("Your SMS to +33 6 10 30 75 01").fill("Words the superuser has not sent");
  await row.getByRole("button", { name: "Cancel" }).click();

  // Signed out, then in as the other admin, in the same tab and the same document (no page load).
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("link", { name: "Sign in", exact: true }).click();
  await submitSignIn(page, "en", other.email, other.password);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.getByRole("link", { name: "Manage", exact: true }).click();
  await page.getByRole("link", { name: "SMS replies", exact: true }).first().click();
  await row.getByRole("button", { name: "Answer +33 6 10 30 75 01" }).click();
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  await expect(row.getByLabel("Your SMS to +33 6 10 30 75 01")).toHaveValue("");
});

test("the screen asks one route at one pace, answers moving or not, and stops once refused", async ({ page }) => {
  const tag = `One route ${Date.now().toString(36)}`;
  await smsc.sendInbound("+33610307301", `${tag}.`);
  const row = await waitForReply(page, tag);
  // An answer on its way: its badge is followed too (no runner here: it stays pending).
  await row.getByRole("button", { name: "Answer +33 6 10 30 73 01" }).click();
  await row.getByLabel("Your SMS to +33 6 10 30 73 01").fill("Followed");
  await row.getByRole("button", { name: "Send" }).click();
  await expect(row.getByRole("link", { name: "Pending: latest answer, open it in the queue" })).toBeVisible();

  const asked: { path: string; status: number }[] = [];
  page.on("response", (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith("/api/")) asked.push({ path: url.pathname, status: r.status() });
  });
  await page.waitForTimeout(7_000);
  expect([...new Set(asked.map((a) => a.path))]).toEqual(["/api/sms/replies/follow"]);
  expect(asked.length).toBeGreaterThanOrEqual(2);
  // 7 s at 3 s a poll is 2 or 3 answers; at 1.5 s, 4 or 5 (so 4 would not tell the two paces apart).
  expect(asked.length).toBeLessThanOrEqual(3);

  await page.context().clearCookies(); // the session is gone, as when it expires in an open tab
  await expect.poll(() => asked.filter((a) => a.status === 401).length, { timeout: 15_000 }).toBe(1);
  await page.waitForTimeout(7_000);
  expect(asked.filter((a) => a.status !== 200)).toEqual([{ path: "/api/sms/replies/follow", status: 401 }]);
});
