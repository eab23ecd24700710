import { startSmsc, type SmscHarness } from "../tests/helpers/smsc";
import { expect, main, ownGroup, setSmsTransport, signIn, superuser, test, waitForReply } from "./support";

// An SMS template sent to a subscriber group, end to end: subscribers with mobile numbers, the
// template with its segment counter, the count confirmed before queuing, the queue's button, and
// a real SMSC on loopback whose receipts turn every row into "Delivered", and a STOP reply.
// Independent of the other specs: it makes its own group.
let smsc: SmscHarness;
test.beforeAll(async () => {
  smsc = await startSmsc({ receipts: "auto", receiptDelayMs: 200 });
});
test.afterAll(async () => {
  await smsc?.close();
});
// Back to the outbox default (and no sender) even after a failed step: the SMSC above is gone
// after this file.
test.afterEach(async ({ page }) => {
  await setSmsTransport(page, "", "");
});

test("an admin sends an SMS template to a group's mobile numbers and watches each go from pending to delivered", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "en", superuser());
  await setSmsTransport(page, smsc.url(), "ChoraNews");

  // A group of two subscribers with a mobile number (one typed in the site's national format).
  const stamp = Date.now().toString(36);
  const people = [
    { name: "Ann", email: `sms-ann-${stamp}@e2e.example.org`, phone: "06 11 22 33 44", e164: "+33611223344", shown: "+33 6 11 22 33 44" },
    { name: "Bob", email: `sms-bob-${stamp}@e2e.example.org`, phone: "+32 470 12 34 56", e164: "+32470123456", shown: "+32 470 12 34 56" },
  ];
  const group = await ownGroup(page, "SMS members", people);

  // The template: SMS, for the group, with a personalised text and its live segment count.
  await page.goto("/en/manage/templates/new");
  const form = main(page).getByRole("form", { name: "Template" });
  await form.getByLabel("Name", { exact: true }).fill(`SMS reminder ${stamp}`);
  await form.getByRole("radio", { name: "SMS" }).check();
  // The name goes in from the placeholder list, where the cursor is.
  const smsText = form.getByLabel("SMS text");
  await smsText.fill("Hello , the meeting moves to 18:00. Reply STOP to opt out.");
  await smsText.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(6, 6));
  await main(page).getByRole("button", { name: "Insert {{name}} into the SMS text" }).click();
  await expect(smsText).toHaveValue("Hello {{name}}, the meeting moves to 18:00. Reply STOP to opt out.");
  await expect(smsText).toBeFocused();
  await expect(form.getByTestId("sms-count")).toContainText("1 segment (GSM-7)");
  await form.getByRole("checkbox", { name: group.label, exact: true }).check();
  await form.getByRole("button", { name: "Create the template" }).click();
  await expect(page).toHaveURL(/\/en\/manage\/templates\/\d+\?created=1$/, { timeout: 30_000 });
  const templateUrl = page.url().replace("?created=1", "");

  // The templates list finds it by words of its name among SMS templates, and not among emails.
  await page.goto("/en/manage/templates");
  const filters = main(page).getByRole("search", { name: "Filter the templates" });
  await filters.getByLabel("Name or subject").fill(`reminder ${stamp}`);
  await filters.getByLabel("Channel").selectOption("sms");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/channel=sms/);
  await expect(main(page).getByRole("link", { name: `SMS reminder ${stamp}` })).toBeVisible();
  await filters.getByLabel("Channel").selectOption("email");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(main(page).getByText("No template matches these filters.")).toBeVisible();
  await expect(filters.getByLabel("Name or subject")).toHaveValue(`reminder ${stamp}`);
  await page.goto(templateUrl);

  // Send now: the count is of distinct numbers, shown before anything is queued.
  await main(page).getByRole("button", { name: "Send…", exact: true }).click();
  const dialog = main(page).getByRole("dialog", { name: "Send this template" });
  await expect(dialog).toContainText("It will go to 2 distinct numbers.", { timeout: 30_000 });
  await expect(dialog).toContainText("2 SMS segments in all, as operators bill them.");
  await dialog.getByRole("button", { name: "Send now", exact: true }).click();
  await expect(page).toHaveURL(/\/en\/manage\/templates\/sends\/\d+\?sent=/, { timeout: 30_000 });
  const reportUrl = page.url().replace(/\?.*$/, "");

  // The queue: two SMS rows pending, then sent by the button, then delivered by the receipts.
  await page.goto("/en/manage/queue?channel=sms&status=pending");
  for (const p of people) await expect(main(page).getByRole("link", { name: p.shown })).toBeVisible();
  await page.goto("/en/manage/queue");
  await main(page).getByRole("button", { name: "Send pending messages" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: "Sending started" })).toBeVisible();
  for (const p of people) {
    await expect
      .poll(
        async () => {
          await page.goto(`/en/manage/queue?channel=sms&recipient=${encodeURIComponent(p.e164)}`);
          return main(page).getByRole("row").filter({ has: page.getByRole("link", { name: p.shown }) }).first().innerText();
        },
        { timeout: 30_000 },
      )
      .toContain("Delivered");
  }
  // The send's report says it is over once every row has its outcome.
  await page.goto(reportUrl);
  await expect(main(page).getByText("Completed", { exact: true })).toBeVisible();
  // Every recipient's outcome from the report: the queue narrowed to this send's rows, and its CSV.
  const exportHref = await main(page).getByRole("link", { name: "Export every recipient as CSV" }).getAttribute("href");
  expect(exportHref).toMatch(/^\/api\/queue\/export\?message=\d+&csv=en$/);
  const csv = (await (await page.request.get(exportHref!)).text()).replace(/^\uFEFF/, "").trim().split("\r\n");
  expect(csv).toHaveLength(1 + people.length);
  for (const p of people) expect(csv.find((l) => l.includes(p.e164))).toContain("Delivered");
  await main(page).getByRole("link", { name: "All 2 recipients in the queue" }).click();
  await expect(page).toHaveURL(/\/en\/manage\/queue\?message=\d+$/);
  await expect(main(page).getByRole("status").filter({ hasText: "Only the recipients of the message" })).toBeVisible();
  const queueRows = main(page).getByRole("row").filter({ has: page.getByRole("link", { name: /^\+\d/ }) });
  await expect(queueRows).toHaveCount(people.length);
  for (const p of people) await expect(queueRows.filter({ has: page.getByRole("link", { name: p.shown }) })).toContainText("Delivered");
  await main(page).getByRole("link", { name: "Its send report" }).click();
  await expect(page).toHaveURL(reportUrl);
  // Each number got its own personalised text, once, from the site's sender.
  for (const p of people) {
    const submits = smsc.submits.filter((s) => `+${s.destination}` === p.e164);
    expect(submits.map((s) => [s.source, s.text])).toEqual([["ChoraNews", `Hello ${p.name}, the meeting moves to 18:00. Reply STOP to opt out.`]]);
  }

  // Bob replies STOP: the server's SMPP session hears it; the subscriptions list marks his
  // number, and the next send of the template leaves him out.
  await smsc.sendInbound(people[1].e164, "STOP");
  const rowOf = async (email: string) => {
    await page.goto(group.path);
    return main(page).getByRole("row").filter({ hasText: email }).first().innerText();
  };
  await expect.poll(() => rowOf(people[1].email), { timeout: 30_000 }).toContain("STOP");
  expect(await rowOf(people[0].email)).not.toContain("STOP");
  // The mark leads to the opt-out screen, on that number.
  await main(page).getByRole("row").filter({ hasText: people[1].email }).getByRole("link", { name: /^STOP/ }).click();
  await expect(main(page).getByRole("heading", { name: "SMS opt-outs", level: 1 })).toBeVisible();
  await expect(main(page).getByRole("row").filter({ hasText: "+32 470 12 34 56" })).toContainText("Replied to an SMS");

  // Ann answers with a question: it is in the SMS replies, with her name, next to Bob's STOP.
  await smsc.sendInbound(people[0].e164, "Thanks! Can I bring a friend?");
  const question = await waitForReply(page, "Thanks! Can I bring a friend?");
  await expect(question).toContainText(people[0].email);
  await expect(main(page).getByRole("row").filter({ hasText: "+32 470 12 34 56" }).first()).toContainText("STOP");

  // And is answered from there: the SMS goes back to her number through the queue.
  await question.getByRole("button", { name: "Answer +33 6 11 22 33 44" }).click();
  const answer = question.getByRole("form", { name: "Answer to +33 6 11 22 33 44" });
  const answerBox = answer.getByLabel("Your SMS to +33 6 11 22 33 44");
  // Escape closes the form; what was typed waits for the next opening.
  await answerBox.fill("Of course");
  await answerBox.press("Escape");
  await expect(answer).toBeHidden();
  await question.getByRole("button", { name: "Answer +33 6 11 22 33 44" }).click();
  await expect(answerBox).toHaveValue("Of course");
  await answerBox.fill("Of course, see you both at 18:00.");
  await answer.getByRole("button", { name: "Send" }).click();
  await expect(question.getByRole("status")).toHaveText("Answer to +33 6 11 22 33 44 queued: see it in the queue.");
  // The row says so, and links to the answer in the queue.
  await expect(question.getByRole("link", { name: "Pending: latest answer, open it in the queue" })).toBeVisible();
  await expect(question).toContainText("Answered");
  await page.goto("/en/manage/queue");
  await main(page).getByRole("button", { name: "Send pending messages" }).click();
  await expect.poll(() => smsc.submits.some((x) => x.destination === people[0].e164.slice(1) && x.text === "Of course, see you both at 18:00."), { timeout: 30_000 }).toBe(true);
  // Its receipt arrives: the replies list shows the answer delivered.
  await expect
    .poll(async () => {
      await page.goto("/en/manage/sms-replies");
      return question.getByRole("link", { name: /: latest answer, open it in the queue$/ }).getAttribute("aria-label");
    }, { timeout: 30_000 })
    .toBe("Delivered: latest answer, open it in the queue");
  await page.goto(templateUrl);
  await main(page).getByRole("button", { name: "Send…", exact: true }).click();
  await expect(main(page).getByRole("dialog", { name: "Send this template" })).toContainText("It will go to 1 number.", { timeout: 30_000 });
});
