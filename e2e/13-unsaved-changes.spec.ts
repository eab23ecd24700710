import type { Dialog, Page } from "@playwright/test";
import { expect, main, signIn, superuser, test } from "./support";

// A template's unsaved edits are not lost to an in-app link (side menu, language switch, back
// link) without a question; dismissing it keeps the page and what was typed, accepting it leaves.
// The form's own save neither asks nor is held back.
const question = "You have unsaved changes. Leave this page and lose them?";

/**
 * Notes, for every click and submit, whether it reached the document already cancelled: the
 * page's guard listens on the window in the capture phase, before the document, and next/link
 * (like the browser for a plain link, and React for a form action) leaves a cancelled event
 * alone. A dismissed question is then proved to keep the page without waiting to see whether a
 * navigation comes. Applies to the documents loaded after it.
 */
async function noteCancellations(page: Page) {
  await page.addInitScript(() => {
    for (const type of ["click", "submit"]) {
      document.addEventListener(type, (e) => ((window as unknown as { e2eLast: string }).e2eLast = `${type} cancelled: ${e.defaultPrevented}`), true);
    }
  });
  return {
    forget: () => page.evaluate(() => ((window as unknown as { e2eLast: string }).e2eLast = "")),
    last: () => page.evaluate(() => (window as unknown as { e2eLast: string }).e2eLast),
  };
}

/**
 * After a dismissed Back: the guard has put its copy of the page's history entry back on top
 * (nothing left to go forward to), so the next Back asks again and nothing else is on its way.
 */
async function backWasKept(page: Page) {
  await expect.poll(() => page.evaluate(() => (window as unknown as { navigation: { canGoForward: boolean } }).navigation.canGoForward)).toBe(false);
}

/** Answers the next confirm() and returns what it asked. */
function answerNext(page: Page, accept: boolean) {
  return new Promise<string>((resolve) => {
    page.once("dialog", (dialog: Dialog) => {
      resolve(`${dialog.type()}: ${dialog.message()}`);
      void (accept ? dialog.accept() : dialog.dismiss());
    });
  });
}

test("leaving a template with unsaved changes by an in-app link asks first", async ({ page }) => {
  const events = await noteCancellations(page);
  await signIn(page, "en", superuser());
  const asked: string[] = [];
  page.on("dialog", (dialog) => void asked.push(dialog.message()));

  await page.goto("/en/manage/templates/new");
  const form = main(page).getByRole("form", { name: "Template" });
  await form.getByLabel("Name", { exact: true }).fill(`Unsaved ${Date.now().toString(36)}`);
  await form.getByRole("radio", { name: "SMS" }).check();
  await form.getByLabel("SMS text").fill("Market on Saturday.");
  // Creating leaves for the new template's page without a question.
  await form.getByRole("button", { name: "Create the template" }).click();
  await expect(page).toHaveURL(/\/en\/manage\/templates\/\d+\?created=1$/, { timeout: 30_000 });
  const templateUrl = page.url().replace("?created=1", "");
  await page.goto(templateUrl);
  expect(asked).toEqual([]);

  const smsText = form.getByLabel("SMS text");
  const unsaved = form.getByText("Unsaved changes");
  const edited = "Market on Saturday, 8 to 13.";
  await smsText.fill(edited);
  await expect(unsaved).toBeVisible();

  const links = [
    page.getByRole("navigation", { name: "Management menu" }).getByRole("link", { name: "Queue", exact: true }),
    page.getByRole("navigation", { name: "Language" }).getByRole("link", { name: "Français" }),
    main(page).getByRole("link", { name: "← All message templates" }),
  ];
  for (const link of links) {
    await events.forget();
    const dismissed = answerNext(page, false);
    await link.click();
    expect(await dismissed).toBe(`confirm: ${question}`);
    // Cancelled before next/link or the browser could follow it: no navigation is coming.
    expect(await events.last()).toBe("click cancelled: true");
    expect(page.url()).toBe(templateUrl);
    await expect(smsText).toHaveValue(edited);
    await expect(unsaved).toBeVisible();
  }

  // Signing out asks too; dismissed, the person stays signed in, on the page, with the text.
  await events.forget();
  const stay = answerNext(page, false);
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("button", { name: "Sign out" }).click();
  expect(await stay).toBe(`confirm: ${question}`);
  expect(await events.last()).toBe("submit cancelled: true");
  expect(page.url()).toBe(templateUrl);
  await expect(smsText).toHaveValue(edited);
  await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("button", { name: "Sign out" })).toBeVisible();

  // Accepted: the link is followed.
  const accepted = answerNext(page, true);
  await links[0].click();
  await accepted;
  await expect(page).toHaveURL(/\/en\/manage\/queue$/);

  // Saving is not leaving, and once saved nothing is asked.
  await page.goto(templateUrl);
  await smsText.fill(edited);
  await expect(unsaved).toBeVisible();
  const before = asked.length;
  await form.getByRole("button", { name: "Save", exact: true }).click();
  await expect(form.getByRole("status").filter({ hasText: "Template saved." })).toBeVisible();
  await expect(unsaved).toBeHidden();
  await main(page).getByRole("link", { name: "← All message templates" }).click();
  await expect(page).toHaveURL(/\/en\/manage\/templates$/);
  expect(asked.length).toBe(before);
  await page.goto(templateUrl);
  await expect(smsText).toHaveValue(edited);
});

/** Signs in, creates an SMS template through the editor and returns its page's address. */
async function newSmsTemplate(page: Page, name: string) {
  await signIn(page, "en", superuser());
  await page.goto("/en/manage/templates/new");
  const form = main(page).getByRole("form", { name: "Template" });
  await form.getByLabel("Name", { exact: true }).fill(`${name} ${Date.now().toString(36)}`);
  await form.getByRole("radio", { name: "SMS" }).check();
  await form.getByLabel("SMS text").fill("Market on Saturday.");
  await form.getByRole("button", { name: "Create the template" }).click();
  await expect(page).toHaveURL(/\/en\/manage\/templates\/\d+\?created=1$/, { timeout: 30_000 });
  return { form, templateUrl: page.url().replace("?created=1", "") };
}

test("the browser's Back button asks too, keeps the page and its text when dismissed, and leaves when accepted", async ({ page }) => {
  const { form, templateUrl } = await newSmsTemplate(page, "Back");

  // Arrive from the list, as people do, so that Back has somewhere to go.
  await page.goto("/en/manage/templates");
  await page.goto(templateUrl);
  const smsText = form.getByLabel("SMS text");
  const edited = "Market on Saturday, 8 to 13, by the church.";
  await smsText.fill(edited);
  await expect(form.getByText("Unsaved changes")).toBeVisible();

  for (let round = 0; round < 2; round++) {
    const dismissed = answerNext(page, false);
    await page.evaluate(() => history.back());
    expect(await dismissed).toBe(`confirm: ${question}`);
    await backWasKept(page);
    expect(page.url(), `dismissed Back ${round + 1}`).toBe(templateUrl);
    await expect(smsText).toHaveValue(edited);
  }

  const accepted = answerNext(page, true);
  await page.evaluate(() => history.back());
  await accepted;
  await expect(page).toHaveURL(/\/en\/manage\/templates$/);
  await expect(main(page).getByRole("heading", { level: 1, name: "Message templates" })).toBeVisible();
});

test("after a save, one Back still leaves; a change after the save asks once, and leaving then works", async ({ page }) => {
  const { form, templateUrl } = await newSmsTemplate(page, "Saved");
  const asked: string[] = [];
  page.on("dialog", (dialog) => void asked.push(dialog.message()));

  await page.goto("/en/manage/templates");
  await page.goto(templateUrl);
  const smsText = form.getByLabel("SMS text");
  const save = async (text: string) => {
    await smsText.fill(text);
    await expect(form.getByText("Unsaved changes")).toBeVisible();
    await form.getByRole("button", { name: "Save", exact: true }).click();
    await expect(form.getByRole("status").filter({ hasText: "Template saved." })).toBeVisible();
    await expect(form.getByText("Unsaved changes")).toBeHidden();
  };
  // Saved: nothing to lose, and a single Back goes where it should, without a question.
  await save("Market on Saturday, 8 to 13.");
  await page.evaluate(() => history.back());
  await expect(page).toHaveURL(/\/en\/manage\/templates$/);
  expect(asked).toEqual([]);

  // Saved, then changed again: Back asks once (dismissed: stays), then leaves when agreed, and a
  // later visit asks again.
  await page.goto(templateUrl);
  await save("Market on Saturday, 8 to 14.");
  await smsText.fill("Market on Saturday, 8 to 15.");
  await expect(form.getByText("Unsaved changes")).toBeVisible();
  const dismissed = answerNext(page, false);
  await page.evaluate(() => history.back());
  expect(await dismissed).toBe(`confirm: ${question}`);
  await backWasKept(page);
  expect(page.url()).toBe(templateUrl);
  await expect(smsText).toHaveValue("Market on Saturday, 8 to 15.");
  const accepted = answerNext(page, true);
  await page.evaluate(() => history.back());
  await accepted;
  await expect(page).toHaveURL(/\/en\/manage\/templates$/);
  expect(asked).toHaveLength(2);
});
