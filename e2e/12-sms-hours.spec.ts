import { expect, main, ownGroup, signIn, superuser, test } from "./support";

// SMS sending hours: a superuser limits the site's newsletter SMS to one day of the week (not
// today), an admin sends a template outside them, and the dialog, the send's report and the
// queue row say when the SMS will go out instead of sending it at night. Independent of the other
// specs: it makes its own group.

const onlyWithin = "Send SMS to groups only within these hours";
let hoursOn = false;
/** The site's time zone before this spec set UTC: later specs read dates in it (e2e/05). */
let zoneBefore: string | null = null;
// A failed step must not leave the hours closed for the specs that follow (their SMS would wait),
// nor the site in another time zone.
test.afterEach(async ({ page }) => {
  if (!hoursOn && zoneBefore === null) return;
  await page.goto("/en/manage/sites");
  await main(page).getByRole("link", { name: "localhost", exact: true }).click();
  const hours = main(page).getByRole("group", { name: "SMS sending hours" });
  await hours.getByLabel(onlyWithin).uncheck();
  if (zoneBefore) await hours.getByLabel("Time zone of the site").selectOption(zoneBefore);
  await main(page).getByRole("button", { name: "Save" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: /saved/i })).toBeVisible();
  hoursOn = false;
  zoneBefore = null;
});

test("newsletter SMS sent outside the site's sending hours wait for them, and every screen says until when", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "en", superuser());
  const day = new Intl.DateTimeFormat("en", { weekday: "long", timeZone: "UTC" }).format(new Date(Date.now() + 2 * 86_400_000));

  await page.goto("/en/manage/sites");
  await main(page).getByRole("link", { name: "localhost", exact: true }).click();
  const hours = main(page).getByRole("group", { name: "SMS sending hours" });
  await hours.getByLabel("Send SMS to groups only within these hours").check();
  // Hours that end before they start are refused; what was typed stays.
  await hours.getByLabel("From").fill("20:00");
  await hours.getByLabel("Until").fill("08:00");
  await main(page).getByRole("button", { name: "Save" }).click();
  await expect(hours.getByText("The end must come after the start, on the same day (00:00 as the end means midnight).")).toBeVisible();
  await expect(hours.getByLabel("From")).toHaveValue("20:00");
  await expect(hours.getByLabel("Send SMS to groups only within these hours")).toBeChecked();

  await hours.getByLabel("From").fill("08:00");
  await hours.getByLabel("Until").fill("20:00");
  for (const d of ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]) {
    await hours.getByRole("checkbox", { name: d, exact: true }).setChecked(d === day);
  }
  zoneBefore = await hours.getByLabel("Time zone of the site").inputValue();
  expect(zoneBefore).not.toBe("UTC"); // else this spec would not show that the zone is followed
  await hours.getByLabel("Time zone of the site").selectOption("UTC");
  hoursOn = true;
  await main(page).getByRole("button", { name: "Save" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: /saved/i })).toBeVisible();
  // The form shows what was saved, before and after a reload (it used to fall back to the values
  // the page had been rendered with, which a second save would have written back).
  await expect(hours.getByLabel("Time zone of the site")).toHaveValue("UTC");
  await expect(hours.getByRole("checkbox", { name: day, exact: true })).toBeChecked();
  await expect(hours.getByLabel("Send SMS to groups only within these hours")).toBeChecked();
  await page.reload();
  await expect(hours.getByRole("checkbox", { name: day, exact: true })).toBeChecked();
  await expect(hours.getByLabel("Time zone of the site")).toHaveValue("UTC");

  // A group of one subscriber with a number, and an SMS template for it.
  const stamp = Date.now().toString(36);
  const group = await ownGroup(page, "Night SMS readers", [{ email: `hours-${stamp}@e2e.example.org`, phone: "06 55 44 33 22" }]);

  await page.goto("/en/manage/templates/new");
  const form = main(page).getByRole("form", { name: "Template" });
  await form.getByLabel("Name", { exact: true }).fill(`Night SMS ${stamp}`);
  await form.getByRole("radio", { name: "SMS" }).check();
  await form.getByLabel("SMS text").fill("Flea market tomorrow from 9:00.");
  await form.getByRole("checkbox", { name: group.label, exact: true }).check();
  await form.getByRole("button", { name: "Create the template" }).click();
  await expect(page).toHaveURL(/\/en\/manage\/templates\/\d+\?created=1$/, { timeout: 30_000 });

  await main(page).getByRole("button", { name: "Send…", exact: true }).click();
  const dialog = main(page).getByRole("dialog", { name: "Send this template" });
  await expect(dialog).toContainText(`The site’s SMS sending hours are closed now (${day}, 08:00–20:00, UTC, not on public holidays): sent now, these SMS wait until ${day}`, { timeout: 30_000 });
  // A time picked for later, on a day the hours are closed, is answered at once with the real departure.
  await dialog.getByRole("radio", { name: "Schedule for later" }).check();
  await dialog.getByLabel("Date and time").fill(`${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}T12:00`);
  await expect(dialog).toContainText(`At that time the site’s SMS sending hours are closed: these SMS will go out on ${day}`);
  await dialog.getByRole("radio", { name: "Send now" }).check();
  await dialog.getByRole("button", { name: "Send now", exact: true }).click();
  await expect(page).toHaveURL(/\/en\/manage\/templates\/sends\/\d+\?sent=/, { timeout: 30_000 });
  await expect(main(page).getByText(/SMS wait(s)? for the site’s SMS sending hours: (it goes|they go) out on/)).toContainText(day);

  // In the queue the row is pending, due on that day at 08:00, and stays so when sending is asked for.
  await page.goto("/en/manage/queue?channel=sms&recipient=%2B33655443322");
  await main(page).getByRole("link", { name: "+33 6 55 44 33 22" }).first().click();
  await expect(main(page).getByText("Goes out from (SMS sending hours)")).toBeVisible();
  await expect(main(page).getByText("Pending", { exact: true }).first()).toBeVisible();

  // Back to sending at any time, in the site's own time zone, for the specs that follow.
  await page.goto("/en/manage/sites");
  await main(page).getByRole("link", { name: "localhost", exact: true }).click();
  await hours.getByLabel("Send SMS to groups only within these hours").uncheck();
  await hours.getByLabel("Time zone of the site").selectOption(zoneBefore!);
  await main(page).getByRole("button", { name: "Save" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: /saved/i })).toBeVisible();
  hoursOn = false;
  zoneBefore = null;
  // Turned off, the hours are kept for the next time they are turned on.
  await page.reload();
  await expect(hours.getByLabel("Send SMS to groups only within these hours")).not.toBeChecked();
  await expect(hours.getByRole("checkbox", { name: day, exact: true })).toBeChecked();
});
