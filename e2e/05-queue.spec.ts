import { createMember, expect, main, newSession, superuser, test, uniqueEmail, signIn, waitUntilQueued } from "./support";

// The app runs with QUEUE_SCHEDULER=off (e2e/global-setup.ts), so mail leaves only when this
// test presses the button: the counts must move because of it.
test("an admin sees a password-reset email in the queue, opens it (its link hidden), sends pending messages and watches the counts", async ({ page, browser, baseURL }) => {
  await signIn(page, "en", superuser());
  const email = uniqueEmail("reset");
  await createMember(page, { name: "Reset Me", email, password: "member password 1" });

  // A signed-out visitor asks for a reset link for that account.
  const visitor = await newSession(browser, baseURL);
  await visitor.page.goto("/en/forgot-password");
  await main(visitor.page).getByLabel("Email", { exact: true }).fill(email);
  await main(visitor.page).getByRole("button", { name: "Send me a link" }).click();
  await expect(main(visitor.page).getByRole("status")).toContainText("If an account uses this address");
  await visitor.context.close();

  const count = async (status: string) => {
    const label = (await main(page).getByRole("link", { name: new RegExp(`^${status}\\s*[\\d,]+$`) }).innerText()).replace(/\s+/g, " ");
    return Number(/([\d,]+)$/.exec(label)![1].replace(/,/g, ""));
  };

  // The email is queued just after the visitor's answer (after()): reload the queue until it shows.
  await waitUntilQueued(page, email);
  // Times are in the site's zone, which may not be the reader's (here the browser's is UTC): it is named.
  const zoneNote = "Dates and times in the Europe/Paris time zone.";
  await expect(main(page).getByRole("table")).toContainText(zoneNote);
  // Earlier specs may leave rows behind (an SMS held until its sending hours open stays pending),
  // so the counts are compared as a whole: every row that leaves Pending is found in a later status.
  const counts = async () => {
    const [pending, sending, sent, error, delivered] = await Promise.all(["Pending", "Sending", "Sent", "Error", "Delivered"].map(count));
    return { pending, sending, sent, error, delivered };
  };
  const before = await counts();
  expect(before.pending).toBeGreaterThanOrEqual(1);

  // Its detail: facts and history, but not its body, whose reset link would let whoever reads
  // it take over the account; nor its .eml.
  await main(page).getByRole("link", { name: email }).click();
  await expect(page).toHaveURL(/\/en\/manage\/queue\/\d+$/);
  await expect(main(page)).toContainText("The content of this message is hidden: it contains a personal link.");
  await expect(main(page)).not.toContainText("reset-password?token=");
  await expect(main(page).locator("iframe")).toHaveCount(0);
  const eml = await page.request.get(`${page.url().replace("/en/manage/queue/", "/api/queue/")}/eml`);
  expect(eml.status()).toBe(403);
  await expect(main(page).getByRole("heading", { name: "Status history" })).toBeVisible();
  await expect(main(page).getByRole("region", { name: "Delivery" })).toContainText(zoneNote);

  await page.goto("/en/manage/queue");
  await main(page).getByRole("button", { name: "Send pending messages" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: "Sending started" })).toBeVisible();
  // The reset email went; nothing is left sending; what left Pending is now Sent, Error or Delivered.
  await expect(async () => {
    await page.reload();
    await expect(main(page).getByRole("row").filter({ has: page.getByRole("link", { name: email }) })).toContainText("Sent", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect.poll(async () => (await counts()).sending, { timeout: 20_000 }).toBe(0);
  const after = await counts();
  expect(after.pending).toBeLessThan(before.pending);
  expect(after.sent).toBeGreaterThan(before.sent);
  expect(before.pending - after.pending).toBe(after.sent - before.sent + (after.error - before.error) + (after.delivered - before.delivered));
  // What is still pending was not due: only rows held for their SMS sending hours may stay.
  if (after.pending > 0) {
    await main(page).getByRole("link", { name: /^Pending\s*[\d,]+$/ }).click();
    await expect(page).toHaveURL(/status=pending/);
    await expect(main(page).locator("tbody tr").filter({ hasNotText: "held until" })).toHaveCount(0);
  }

  // The row's history now shows it was sent by the screen's button.
  await page.reload();
  await main(page).getByRole("link", { name: email }).click();
  await expect(main(page).getByRole("table").filter({ hasText: "Queue screen button" })).toContainText(zoneNote);

  // It went out: setting it back to pending asks first, and closing the question changes nothing.
  const again = page.getByRole("dialog", { name: "Send this message again?" });
  await main(page).getByRole("button", { name: "Set back to pending" }).click();
  await expect(again).toContainText(`It has already gone to ${email}.`);
  await again.getByRole("button", { name: "Close" }).click();
  await expect(again).toBeHidden();
  await expect(main(page).getByRole("button", { name: "Cancel sending" })).toHaveCount(0); // still sent
  await main(page).getByRole("button", { name: "Set back to pending" }).click();
  await again.getByRole("button", { name: "Send it again" }).click();
  await expect(main(page).getByText("Done.", { exact: true })).toBeVisible();
  await expect(main(page).getByRole("button", { name: "Cancel sending" })).toBeVisible(); // pending now
});
