import type { Page } from "@playwright/test";
import { startSmsc } from "../tests/helpers/smsc";
import { atWidth, createGroup, createMember, expect, expectFits, main, pasteIntoGroup, sendPending, setSmsTransport, signIn, superuser, test, type Locale } from "./support";

// Every Manage table fits its box, on a phone (390 px), beside the menu (768 and 1024 px) and at
// 1280 px, in French and in English: nothing is cut off or left to a sideways scroll, and each
// row's actions lie on the screen. The tables hold the data that made them overflow: long
// addresses and names, a long subject, an SMS delivered and one refused (its error in the row).
// Independent of the other specs: it makes its own group, subscribers, sends and admin, and leaves
// the site without an SMS transport (its SMSC is gone), as e2e/08 does.

test.describe.configure({ mode: "serial" });

const seeded = {
  stamp: Date.now().toString(36),
  templateName: "",
  paths: [] as string[], // /en/... screens holding the seeded rows
  admin: { name: "Layout Admin", email: "", password: "layout-admin-pass" },
};

/** Creates a template for `group` (an SMS when `sms` is given) and sends it now; returns its report's path. */
async function sendTemplate(page: Page, name: string, group: string, content: { subject: string } | { sms: string }) {
  await page.goto("/en/manage/templates/new");
  const form = main(page).getByRole("form", { name: "Template" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  if ("sms" in content) {
    await form.getByRole("radio", { name: "SMS" }).check();
    await form.getByLabel("SMS text").fill(content.sms);
  } else {
    await form.getByLabel("Subject", { exact: true }).fill(content.subject);
    await form.getByLabel("HTML body", { exact: true }).fill("<p>Bonjour.</p>");
  }
  await form.getByRole("checkbox", { name: group, exact: true }).check();
  await form.getByRole("button", { name: "Create the template" }).click();
  await expect(page).toHaveURL(/\/en\/manage\/templates\/\d+\?created=1$/, { timeout: 30_000 });
  const templatePath = new URL(page.url()).pathname;
  await main(page).getByRole("button", { name: "Send…", exact: true }).click();
  await main(page).getByRole("dialog", { name: "Send this template" }).getByRole("button", { name: "Send now", exact: true }).click();
  await expect(page).toHaveURL(/\/en\/manage\/templates\/sends\/\d+\?sent=/, { timeout: 30_000 });
  return { templatePath, reportPath: new URL(page.url()).pathname };
}

test("setup: long addresses, a long subject, an SMS delivered and one refused, an admin", async ({ page }) => {
  test.setTimeout(240_000);
  const { stamp } = seeded;
  const smsc = await startSmsc({ receipts: "auto", receiptDelayMs: 100 });
  await signIn(page, "en", superuser());
  try {
    await setSmsTransport(page, smsc.url());
    const label = `Lettre d’information mensuelle de l’association ${stamp}`;
    const groupPath = await createGroup(page, label);
    await pasteIntoGroup(page, [`marie-christine.de-la-fontaine-dupont-${stamp}@association-des-amis-du-patrimoine.example.org`, `jean.dupont-${stamp}@example.org`]);
    // Two numbers of their own (no other spec's opt-out or group holds them).
    const digits = String(Date.now() % 1_000_000).padStart(6, "0");
    const numbers = [`06 4${digits[0]} ${digits.slice(1, 3)} ${digits.slice(3, 5)} ${digits[5]}1`, `06 4${digits[0]} ${digits.slice(1, 3)} ${digits.slice(3, 5)} ${digits[5]}2`];
    const add = main(page).getByRole("form", { name: "Add one address" });
    for (const [i, phone] of numbers.entries()) {
      await add.getByLabel("Email address").fill(`layout-sms-${i}-${stamp}@e2e.example.org`);
      await add.getByLabel("Mobile number (optional)").fill(phone);
      await add.getByRole("button", { name: "Add", exact: true }).click();
      await expect(add.getByRole("status")).toContainText(`layout-sms-${i}-${stamp}`);
    }

    seeded.templateName = `Lettre de novembre ${stamp}`;
    const letter = await sendTemplate(page, seeded.templateName, label, { subject: "Les nouvelles de l’association pour le mois de novembre et les rendez-vous à venir" });
    // The first SMS send is delivered (a receipt comes back); the second one is refused.
    const delivered = await sendTemplate(page, `Rappel SMS ${stamp}`, label, { sms: "Rappel : assemblée générale samedi à 14 h à la salle des fêtes." });
    await sendPending(page);
    await expect(async () => {
      await page.goto(delivered.reportPath);
      await expect(main(page).getByRole("listitem").filter({ hasText: "Delivered" })).toContainText("2", { timeout: 1_000 });
    }).toPass({ timeout: 60_000 });
    const refused = await sendTemplate(page, `Rappel SMS bis ${stamp}`, label, { sms: "Rappel : l’assemblée générale commence à 14 h précises." });
    smsc.failNext(0x0b, 100); // ESME_RINVDSTADR: a permanent error, shown in the rows
    await sendPending(page);
    await expect(async () => {
      await page.goto(refused.reportPath);
      await expect(main(page).getByRole("table", { name: "Failed recipients" })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 60_000 });

    await page.goto("/en/manage/queue");
    const row = (await main(page).getByRole("link", { name: `jean.dupont-${stamp}@example.org` }).first().getAttribute("href"))!;
    seeded.paths = ["/en/manage/templates", letter.templatePath, refused.reportPath, "/en/manage/queue", "/en/manage/queue?site=all", row.replace(/^\/(fr|en)\//, "/en/"), "/en/manage/subscriptions", groupPath, "/en/manage/users", "/en/manage/sites"];
    seeded.admin.email = `layout-admin-${stamp}@e2e.example.org`;
    await createMember(page, seeded.admin, "admin");
  } finally {
    await smsc.close();
  }
  await setSmsTransport(page, "");
});

for (const width of [390, 768, 1024, 1280]) {
  test(`at ${width} px every table fits its box and every action is on screen, in French and in English`, async ({ browser, baseURL }) => {
    test.setTimeout(180_000);
    await atWidth(browser, baseURL, width, superuser(), async (page) => {
      for (const locale of ["fr", "en"] as Locale[]) {
        for (const enPath of seeded.paths) {
          const path = enPath.replace(/^\/en\b/, `/${locale}`);
          await page.goto(path);
          await expect(main(page).getByRole("region").first()).toBeVisible();
          await expectFits(page, `${path} at ${width} px`);
        }
      }
    });
  });
}

test("on a phone a template's last send and its Send, Clone and Delete buttons are on screen", async ({ browser, baseURL }) => {
  await atWidth(browser, baseURL, 390, superuser(), async (page) => {
    await page.goto("/fr/manage/templates");
    const name = seeded.templateName;
    const row = main(page).getByRole("row").filter({ hasText: name });
    const lastSend = row.getByRole("link").filter({ hasText: "Terminé" });
    await expect(lastSend).toBeVisible();
    for (const control of [lastSend, row.getByRole("button", { name: `Envoyer ${name}…` }), row.getByRole("button", { name: `Cloner ${name}` }), row.getByRole("button", { name: `Supprimer ${name}` })]) {
      const box = (await control.boundingBox())!;
      expect(box.x, await control.innerText()).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, await control.innerText()).toBeLessThanOrEqual(390);
    }
  });
});

test("at 1280 px the queue's subject keeps a readable width beside the dates", async ({ browser, baseURL }) => {
  await atWidth(browser, baseURL, 1280, superuser(), async (page) => {
    await page.goto("/en/manage/queue");
    const table = main(page).getByRole("table", { name: /Messages in the queue/ });
    const subject = (await table.getByRole("columnheader", { name: "Subject or SMS text" }).boundingBox())!;
    const sent = (await table.getByRole("columnheader", { name: "Sent" }).boundingBox())!;
    // Squeezed, the subject was one word a line (about 100 px) while the dates kept a whole line.
    expect(subject.width).toBeGreaterThanOrEqual(sent.width);
  });
});

test("an admin's user filters have no empty column where a superuser's Site choice would be", async ({ browser, baseURL }) => {
  await atWidth(browser, baseURL, 1280, seeded.admin, async (page) => {
    for (const [locale, status, apply] of [["fr", "État", "Filtrer"], ["en", "Status", "Filter"]]) {
      await page.goto(`/${locale}/manage/users`);
      const form = main(page).getByRole("search");
      await expect(form.getByLabel("Site")).toHaveCount(0);
      const select = (await form.getByLabel(status, { exact: true }).boundingBox())!;
      const button = (await form.getByRole("button", { name: apply }).boundingBox())!;
      const gap = await form.evaluate((f) => parseFloat(getComputedStyle(f).columnGap));
      // The button follows the last select at the grid's own gap, on the same line.
      expect(Math.abs(button.x - (select.x + select.width) - gap), locale).toBeLessThanOrEqual(1);
    }
  });
});
