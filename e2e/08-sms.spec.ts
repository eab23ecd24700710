import { startSmsc, type SmscHarness } from "../tests/helpers/smsc";
import { expect, main, setSmsTransport, signIn, superuser, test } from "./support";

// A real SMSC on loopback (the smpp package's server side) that answers every submit_sm and sends
// a delivery receipt shortly after, as an operator's does. The superuser points the site at it
// from Manage » Sites; nothing else in the app knows it is a test.
let smsc: SmscHarness;
test.beforeAll(async () => {
  smsc = await startSmsc({ receipts: "auto", receiptDelayMs: 300 });
});
test.afterAll(async () => {
  await smsc?.close();
});
// Back to the outbox default, so other specs see the embedded setup, even after a failed step
// (the page is still signed in as the superuser; the SMSC above is gone after this file).
test.afterEach(async ({ page }) => {
  await setSmsTransport(page, "");
});

test("a superuser configures SMPP for the site, sends a test SMS and watches it go from pending to delivered", async ({ page }) => {
  await signIn(page, "en", superuser());

  await setSmsTransport(page, smsc.url(), "ChoraE2E");

  await page.goto("/en/manage/queue");
  await main(page).getByText("Send a test SMS").click();
  // The counter follows the text: one accented GSM character keeps GSM-7; a "ł" makes it UCS-2.
  const textBox = main(page).getByLabel("Text", { exact: true });
  await textBox.fill("Łódź calling");
  await expect(main(page).getByTestId("sms-count")).toContainText("UCS-2");
  await textBox.fill("Réunion à 18h, salle B.");
  await expect(main(page).getByTestId("sms-count")).toContainText("1 segment (GSM-7)");
  // A number that is no number is refused, and what was typed stays.
  await main(page).getByLabel("Mobile number").fill("06 12");
  await main(page).getByRole("button", { name: "Queue the SMS" }).click();
  // Said on the field, with any other field's error in the same answer (the number is read by the form's schema).
  await expect(main(page).getByRole("alert")).toHaveText("Please correct the highlighted fields.");
  await expect(main(page).getByLabel("Mobile number")).toHaveAccessibleDescription(/06 12 is not a valid mobile number in France: type an international number \(\+32…\) for another country\./);
  await expect(main(page).getByLabel("Mobile number")).toHaveValue("06 12");
  await expect(main(page).getByLabel("Text", { exact: true })).toHaveValue("Réunion à 18h, salle B.");

  await main(page).getByLabel("Mobile number").fill("06 12 34 56 78");
  await main(page).getByRole("button", { name: "Queue the SMS" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: "SMS queued" })).toBeVisible();

  const row = main(page).getByRole("row").filter({ has: page.getByRole("link", { name: "+33 6 12 34 56 78" }) }).first();
  await expect(row).toContainText("Pending");
  await expect(row).toContainText("1 segment");

  await main(page).getByRole("button", { name: "Send pending messages" }).click();
  // Before reloading: a reload that came first would drop the button's request.
  await expect(main(page).getByRole("status").filter({ hasText: "Sending started" })).toBeVisible();
  await expect
    .poll(
      async () => {
        await page.reload();
        return row.innerText();
      },
      { timeout: 20_000 },
    )
    .toContain("Delivered");
  const submit = smsc.submits.find((s) => s.destination === "33612345678");
  expect(submit).toMatchObject({ source: "ChoraE2E", dataCoding: 0, text: "Réunion à 18h, salle B." });

  // The detail shows the SMSC's id, the segments and the delivered time, and the history.
  await row.getByRole("link", { name: "+33 6 12 34 56 78" }).click();
  await expect(main(page)).toContainText(submit!.messageId);
  await expect(main(page)).toContainText("1 (GSM-7, 23 units)");
  // The SMS as the phone shows it, from the site's sender to the number written as people do.
  const sms = main(page).getByRole("region", { name: "The SMS" });
  await expect(sms.getByTestId("sms-preview")).toHaveText("Réunion à 18h, salle B.");
  await expect(sms).toContainText("ChoraE2E");
  await expect(sms).toContainText("+33 6 12 34 56 78");
  await expect(main(page).getByRole("table").filter({ hasText: "Delivered" })).toBeVisible();
});
