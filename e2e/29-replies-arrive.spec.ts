import { startSmsc, type SmscHarness } from "../tests/helpers/smsc";
import { expect, main, setSmsTransport, signIn, superuser, test, waitForReply } from "./support";

// SMS replies left open show new replies as they arrive (components/sms/replies-follower.tsx),
// and what the person was typing in an answer stays.
let smsc: SmscHarness;
test.beforeAll(async () => {
  smsc = await startSmsc({ receipts: "none" });
});
test.afterAll(async () => {
  await smsc?.close();
});

test("a reply that arrives while the screen is open appears without a reload; while an answer is written, it waits to be asked for", async ({ page }) => {
  await signIn(page, "en", superuser());
  try {
    await setSmsTransport(page, smsc.url());
    const tag = Date.now().toString(36);
    const first = `First reply ${tag}`;
    await smsc.sendInbound("+33610203061", first);
    const firstRow = await waitForReply(page, first);

    // From now on, no reload: the page must show the next reply by itself, and say so.
    const second = `Second reply ${tag}`;
    await smsc.sendInbound("+33610203062", second);
    await expect(main(page).getByRole("row").filter({ hasText: second })).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole("status").filter({ hasText: "A new reply has arrived." })).toBeAttached();

    // An answer being written: the list does not move under it; the news waits with a button.
    await firstRow.getByRole("button", { name: "Answer +33 6 10 20 30 61" }).click();
    const draft = firstRow.getByLabel("Your SMS to +33 6 10 20 30 61");
    await draft.fill("A draft being written");
    const third = `Third reply ${tag}`;
    await smsc.sendInbound("+33610203063", third);
    const show = main(page).getByRole("button", { name: "Show the newest" });
    await expect(show).toBeVisible({ timeout: 20_000 });
    await expect(main(page).getByRole("row").filter({ hasText: third })).toHaveCount(0);
    await show.click();
    await expect(main(page).getByRole("row").filter({ hasText: third })).toBeVisible();
    await expect(draft).toHaveValue("A draft being written");
  } finally {
    await setSmsTransport(page, ""); // back to the outbox default for whatever runs next
  }
});

test("a screen left open after its session ended stops polling once refused, instead of asking every 1.5 s", async ({ page }) => {
  await signIn(page, "en", superuser());
  const asked: number[] = [];
  page.on("response", (response) => {
    if (response.url().includes("/api/queue/stats")) asked.push(response.status());
  });
  await page.goto("/en/manage/queue");
  await expect.poll(() => asked.filter((s) => s === 200).length, { timeout: 15_000 }).toBeGreaterThan(0);
  await page.context().clearCookies(); // the session is gone, as when it expires in an open tab
  await expect.poll(() => asked.filter((s) => s === 401).length, { timeout: 15_000 }).toBe(1);
  // Four polling periods later, still the one refused request.
  await page.waitForTimeout(6_000);
  expect(asked.filter((s) => s !== 200)).toEqual([401]);
});
