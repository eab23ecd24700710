import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { simpleParser } from "mailparser";
import type { Page } from "@playwright/test";
import { createGroup, createMember, expect, main, newSession, pasteIntoGroup, sendPending, setRegistration, signIn, superuser, test, uniqueEmail, type Locale } from "./support";

// RGAA (the French public sector's accessibility standard) is WCAG 2.1 AA: every screen of the
// product, public and Manage, in both languages, is audited with axe-core, the reference rule
// engine, including the states people meet (a refused form showing its errors, an open dialog).
// Independent of the other specs: it makes its own group, subscribers, template, send and member,
// and closes the registration it opens.

const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * Runs axe on the page as it stands and records (softly, so one run lists every screen's
 * problems) each violation with its rule, what it asks, and the elements at fault.
 *
 * What axe cannot decide alone ("needs review") counts too: an aria-label on an element whose
 * role forbids naming is such a case (screen readers may read the text and drop the label).
 * The one exception is a contrast axe could not compute because the element overlaps another
 * (a modal <dialog> over its backdrop): those texts were checked by hand (slate-700 and -800 on
 * white, amber-900 on amber-50, white on red-700: 6.4:1 and more), and a contrast axe can
 * compute still fails.
 */
async function auditPage(page: Page, screen: string) {
  // Legacy mode (one axe.run in the page) rather than a partial run in every frame: the only
  // frames are the message previews, sandboxed without scripts on purpose (the HTML is a
  // newsletter's), where axe can be injected but its run never settles, so analyze() would
  // wait forever. The frame element itself (its title) is still checked; its content, the
  // admin's own email, is not the product's.
  const { violations, incomplete } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).setLegacyMode().analyze();
  const toReview = incomplete.filter((r) => r.id !== "color-contrast");
  const found = [...violations, ...toReview].map(
    (v) =>
      `${v.id} (${violations.includes(v) ? v.impact ?? "violation" : "needs review"}): ${v.help} [${v.helpUrl}]\n` +
      v.nodes.map((n) => `    at ${n.target.join(" ")}\n      ${(n.failureSummary || [...n.any, ...n.all, ...n.none].map((c) => c.message).join("; ")).replace(/\n/g, "\n      ")}`).join("\n"),
  );
  expect.soft(found.length, `axe on ${screen} (${new URL(page.url()).pathname})\n${found.join("\n")}\n`).toBe(0);
}

/** The words of the buttons these steps press, as the message files promise them. */
const words = {
  fr: { subscribe: "M’abonner", send: "Envoyer…", sendTitle: "Envoyer ce modèle", remove: "Supprimer…", erase: "Effacer…", eraseForm: "Effacer une personne (droit à l’effacement)", email: "Adresse email", preview: "Aperçu", csv: "Texte CSV", testSms: "Envoyer un SMS de test", newGroup: "Nouveau groupe", addKey: "Ajouter une clé", createGroup: "Créer le groupe", add: "Ajouter", pending: "Remettre en attente", takeBack: "Réinscrire le", testSend: "Envoi de test", later: "Programmer pour plus tard", previewAs: "Aperçu en tant qu’abonné", menu: "Menu de gestion" },
  en: { subscribe: "Subscribe", send: "Send…", sendTitle: "Send this template", remove: "Remove…", erase: "Erase…", eraseForm: "Erase a person (right to erasure)", email: "Email address", preview: "Preview", csv: "CSV text", testSms: "Send a test SMS", newGroup: "New group", addKey: "Add a key", createGroup: "Create the group", add: "Add", pending: "Set back to pending", takeBack: "Take back", testSend: "Test send", later: "Schedule for later", previewAs: "Preview as a subscriber", menu: "Management menu" },
};

/** What the setup made, for the screens that need a row of their own. */
const seeded = {
  groupLabel: "",
  groupPath: "", // /en/manage/subscriptions/<n>
  members: [] as string[],
  templatePath: "", // /en/manage/templates/<id>
  sendPath: "", // /en/manage/templates/sends/<id>
  queueRowPath: "", // /en/manage/queue/<id>
  userId: 0,
  siteId: "",
  unsubscribeToken: "",
  newsletterToken: "",
};

/** The first link of `kind` (…/newsletter/confirm?token=, …/register/confirm?token=) in mail sent to `address`. */
async function linkMailedTo(address: string, kind: RegExp): Promise<string | null> {
  const root = path.join(process.env.E2E_TMP_DIR!, "data", "outbox");
  if (!existsSync(root)) return null;
  for (const site of readdirSync(root)) {
    for (const file of readdirSync(path.join(root, site))) {
      const raw = readFileSync(path.join(root, site, file));
      if (!raw.includes(address)) continue;
      const found = kind.exec((await simpleParser(raw)).text ?? "");
      if (found) return new URL(found[0]).search;
    }
  }
  return null;
}

/** The queue path of `/en/...` screens in `locale`. */
const at = (locale: Locale, enPath: string) => enPath.replace(/^\/en\b/, `/${locale}`);

test.describe.configure({ mode: "serial" });

test("setup: a group with subscribers, a template sent to it, a member, a pending signup", async ({ page, browser, baseURL }) => {
  test.setTimeout(240_000);
  await signIn(page, "en", superuser());
  const stamp = Date.now().toString(36);
  seeded.groupLabel = `Axe group ${stamp}`;
  seeded.groupPath = await createGroup(page, seeded.groupLabel);
  seeded.members = [uniqueEmail("axe-a"), uniqueEmail("axe-b")];
  await pasteIntoGroup(page, seeded.members);

  // A template with an unsubscribe link, previewed as a subscriber for their real token.
  await page.goto("/en/manage/templates/new");
  const form = main(page).getByRole("form", { name: "Template" });
  await form.getByLabel("Name", { exact: true }).fill(`Axe letter ${stamp}`);
  await form.getByLabel("Subject", { exact: true }).fill("Axe");
  await form.getByLabel("HTML body", { exact: true }).fill('<p>Hello.</p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>');
  await form.getByRole("checkbox", { name: seeded.groupLabel, exact: true }).check();
  await form.getByRole("button", { name: "Create the template" }).click();
  await expect(page).toHaveURL(/\/en\/manage\/templates\/\d+\?created=1$/, { timeout: 30_000 });
  seeded.templatePath = new URL(page.url()).pathname;
  const member = seeded.members[0];
  await main(page).getByRole("searchbox", { name: "Preview as a subscriber" }).fill(member.split("@")[0]);
  await main(page).getByRole("button", { name: member }).click();
  const link = main(page).frameLocator("iframe[title='Preview of the HTML message']").getByRole("link", { name: "Unsubscribe" });
  await expect(link).toHaveAttribute("href", /\/api\/unsubscribe\/(?!sample$)[A-Za-z0-9_-]+$/, { timeout: 20_000 });
  seeded.unsubscribeToken = new URL((await link.getAttribute("href"))!, "http://x").pathname.split("/").pop()!;

  // Sent: a send report and queue rows.
  await main(page).getByRole("button", { name: "Send…", exact: true }).click();
  const dialog = main(page).getByRole("dialog", { name: "Send this template" });
  await expect(dialog).toContainText("It will go to 2 distinct recipients.", { timeout: 30_000 });
  await dialog.getByRole("button", { name: "Send now", exact: true }).click();
  await expect(page).toHaveURL(/\/en\/manage\/templates\/sends\/\d+\?sent=/, { timeout: 30_000 });
  seeded.sendPath = new URL(page.url()).pathname;

  // A visitor's signup waiting for confirmation (its link comes by mail).
  const visitor = await newSession(browser, baseURL);
  const signup = uniqueEmail("axe-signup");
  await visitor.page.goto("/en");
  await main(visitor.page).getByLabel(seeded.groupLabel, { exact: true }).check();
  await main(visitor.page).getByLabel("Email address", { exact: true }).fill(signup);
  await main(visitor.page).getByRole("button", { name: "Subscribe" }).click();
  await expect(main(visitor.page).getByRole("status")).toBeVisible();
  await visitor.context.close();
  await sendPending(page);
  await expect.poll(() => linkMailedTo(signup, /https?:\/\/\S+\/newsletter\/confirm\?token=[A-Za-z0-9_-]+/), { timeout: 30_000 }).not.toBeNull();
  seeded.newsletterToken = new URLSearchParams((await linkMailedTo(signup, /https?:\/\/\S+\/newsletter\/confirm\?token=[A-Za-z0-9_-]+/))!).get("token")!;

  const row = main(page).getByRole("link").filter({ hasText: member }).first();
  seeded.queueRowPath = (await row.getAttribute("href"))!.replace(/^\/(fr|en)\//, "/en/");

  // A number taken out of SMS sends, so the opt-outs list has a row (and a Take back dialog).
  await page.goto("/en/manage/subscriptions/sms-opt-outs");
  const optOut = main(page).getByRole("form", { name: "Take a number out of SMS sends" });
  await optOut.getByLabel("Mobile number").fill(`06 13 ${String(Date.now() % 1_000_000).padStart(6, "0").replace(/(..)(..)(..)/, "$1 $2 $3")}`);
  await optOut.getByRole("button", { name: "Add to the opt-outs" }).click();
  await expect(optOut.getByRole("status")).toBeVisible();

  seeded.userId = await createMember(page, { name: "Axe Member", email: uniqueEmail("axe-member"), password: "axe-member-pass" });
  await page.goto("/en/manage/sites");
  seeded.siteId = /\/sites\/(\d+)/.exec((await main(page).getByRole("link", { name: "localhost", exact: true }).getAttribute("href"))!)![1];
});

test("the public screens, anonymously, in French and in English", async ({ browser, baseURL }) => {
  test.setTimeout(300_000);
  for (const locale of ["fr", "en"] as Locale[]) {
    const w = words[locale];
    const { context, page } = await newSession(browser, baseURL);
    const audit = (screen: string) => auditPage(page, `(${locale}) ${screen}`);
    try {
      await page.goto(`/${locale}`);
      await expect(main(page).getByLabel(seeded.groupLabel, { exact: true })).toBeVisible();
      await audit("home with the newsletter signup");
      await main(page).getByRole("button", { name: w.subscribe }).click();
      await expect(main(page).getByRole("alert").first()).toBeVisible();
      await audit("home, signup refused");

      await page.goto(`/${locale}/sign-in`);
      await audit("sign-in");
      await main(page).locator('button[type="submit"]').click();
      await expect(main(page).getByRole("alert").first()).toBeVisible();
      await audit("sign-in, refused");

      await page.goto(`/${locale}/register`);
      await audit("register (closed)");

      await page.goto(`/${locale}/forgot-password`);
      await audit("forgot password");
      await main(page).locator('input[type="email"]').fill("not an address");
      await main(page).locator('button[type="submit"]').click();
      await expect(main(page).locator('[aria-invalid="true"]')).toBeVisible();
      await audit("forgot password, refused");
      await main(page).locator('input[type="email"]').fill(uniqueEmail("axe-forgot"));
      await main(page).locator('button[type="submit"]').click();
      await expect(main(page).getByRole("status")).toBeVisible();
      await audit("forgot password, sent");

      await page.goto(`/${locale}/reset-password?token=not-a-token`);
      await audit("reset password, invalid link");

      await page.goto(`/${locale}/unsubscribe/${seeded.unsubscribeToken}`);
      await audit("unsubscribe, valid link");
      await main(page).getByRole("button").first().click();
      await expect(main(page).getByRole("status")).toBeVisible();
      await audit("unsubscribe, done");
      await main(page).getByRole("button").first().click(); // undo, so the next run starts subscribed
      await expect(main(page).getByRole("status")).toBeVisible();
      const invalid = await page.goto(`/${locale}/unsubscribe/not-a-token-anyone-holds`);
      expect(invalid?.status()).toBe(404);
      await audit("unsubscribe, invalid link");

      await page.goto(`/${locale}/newsletter/confirm?token=${seeded.newsletterToken}`);
      await expect(main(page).locator('button[type="submit"]')).toBeVisible();
      await audit("newsletter confirmation");
      if (locale === "en") {
        await main(page).locator('button[type="submit"]').click();
        await expect(main(page).getByRole("status")).toBeVisible();
        await audit("newsletter confirmation, confirmed");
      }
      await page.goto(`/${locale}/newsletter/confirm?token=not-a-token`);
      await audit("newsletter confirmation, invalid link");
      await page.goto(`/${locale}/register/confirm?token=not-a-token`);
      await audit("registration confirmation, closed");

      await page.goto(`/${locale}/no-such-page`);
      await audit("not found");
    } finally {
      await context.close();
    }
  }
});

test("registration, opened for the audit: the form, refused, and its confirmation page (both languages)", async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);
  await signIn(page, "en", superuser());
  await setRegistration(page, true);
  const { context, page: visitor } = await newSession(browser, baseURL);
  try {
    const email = uniqueEmail("axe-register");
    for (const locale of ["fr", "en"] as Locale[]) {
      await visitor.goto(`/${locale}/register`);
      await auditPage(visitor, `(${locale}) register`);
      await main(visitor).locator('button[type="submit"]').click();
      await expect(main(visitor).locator('[aria-invalid="true"]').first()).toBeVisible();
      await auditPage(visitor, `(${locale}) register, refused`);
    }
    await main(visitor).getByLabel("Name", { exact: true }).fill("Axe Visitor");
    await main(visitor).getByLabel("Email", { exact: true }).fill(email);
    await main(visitor).getByLabel("Password", { exact: true }).fill("axe visitor secret");
    await main(visitor).getByLabel("Confirm the password", { exact: true }).fill("axe visitor secret");
    await main(visitor).locator('button[type="submit"]').click();
    await expect(main(visitor).getByRole("status")).toBeVisible();
    await auditPage(visitor, "(en) register, sent");

    await sendPending(page);
    const kind = /https?:\/\/\S+\/register\/confirm\?token=[A-Za-z0-9_-]+/;
    await expect.poll(() => linkMailedTo(email, kind), { timeout: 30_000 }).not.toBeNull();
    const search = (await linkMailedTo(email, kind))!;
    for (const locale of ["fr", "en"] as Locale[]) {
      await visitor.goto(`/${locale}/register/confirm${search}`);
      await auditPage(visitor, `(${locale}) registration confirmation`);
      await main(visitor).locator('input[type="password"]').fill("not the password");
      await main(visitor).locator('button[type="submit"]').click();
      await expect(main(visitor).locator('[aria-invalid="true"]').first()).toBeVisible();
      await auditPage(visitor, `(${locale}) registration confirmation, refused`);
      await visitor.goto(`/${locale}/register/confirm?token=not-a-token`);
      await auditPage(visitor, `(${locale}) registration confirmation, invalid link`);
    }
  } finally {
    await context.close();
    await setRegistration(page, false);
  }
});

test("every Manage screen, as the superuser, in French and in English", async ({ page }) => {
  test.setTimeout(480_000);
  await signIn(page, "fr", superuser());
  for (const locale of ["fr", "en"] as Locale[]) {
    const w = words[locale];
    const audit = (screen: string) => auditPage(page, `(${locale}) ${screen}`);
    const go = (enPath: string) => page.goto(at(locale, enPath));

    await go("/en/profile");
    await audit("profile");

    await go("/en/manage/users");
    await audit("users");
    await go("/en/manage/users/new");
    await audit("new user");
    await main(page).locator('button[type="submit"]').click();
    await expect(main(page).locator('[aria-invalid="true"]').first()).toBeVisible();
    await audit("new user, refused");
    await go(`/en/manage/users/${seeded.userId}`);
    await audit("edit user");

    await go("/en/manage/sites");
    await audit("sites");
    await go("/en/manage/sites/new");
    await audit("new site");
    await main(page).locator('button[type="submit"]').click();
    await expect(main(page).locator('[aria-invalid="true"]').first()).toBeVisible();
    await audit("new site, refused");
    await go(`/en/manage/sites/${seeded.siteId}`);
    await audit("edit site");

    await go("/en/manage/queue");
    await audit("queue");
    await main(page).getByText(w.testSms, { exact: true }).click();
    await audit("queue, test SMS form open");
    await main(page).getByRole("table").getByRole("checkbox").nth(1).check();
    await main(page).getByRole("button", { name: w.pending }).first().click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await audit("queue, bulk dialog");
    await page.keyboard.press("Escape");
    await go(seeded.queueRowPath);
    await audit("queue row detail");
    await main(page).getByRole("button", { name: w.pending }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await audit("queue row detail, send again dialog");
    await page.keyboard.press("Escape");

    await go("/en/manage/subscriptions");
    await audit("subscriptions");
    await main(page).getByText(w.newGroup, { exact: true }).click();
    await main(page).getByText(w.eraseForm, { exact: true }).click();
    await audit("subscriptions, new group and erase forms open");
    await main(page).getByRole("button", { name: w.createGroup }).click();
    await expect(main(page).locator('[aria-invalid="true"]').first()).toBeVisible();
    await audit("subscriptions, new group refused");
    const erase = main(page).locator("details").filter({ hasText: w.eraseForm });
    await erase.getByLabel(w.email, { exact: true }).fill("someone@example.org");
    await erase.getByRole("button", { name: w.erase }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await audit("subscriptions, erase dialog");
    await page.keyboard.press("Escape");

    await go(seeded.groupPath);
    await audit("a group");
    const addOne = main(page).locator("form").filter({ has: page.getByRole("button", { name: w.add, exact: true }) });
    await addOne.getByLabel(w.email, { exact: true }).fill("not an address");
    await addOne.getByRole("button", { name: w.add, exact: true }).click();
    await expect(addOne.locator('[aria-invalid="true"]').first()).toBeVisible();
    await audit("a group, add one refused");
    await main(page).getByRole("checkbox").nth(1).check();
    await main(page).getByRole("button", { name: w.remove }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await audit("a group, remove dialog");
    await page.keyboard.press("Escape");

    await go(`${seeded.groupPath}/import`);
    await audit("import");
    await main(page).getByLabel(w.csv, { exact: true }).fill(`email;name\n${uniqueEmail("axe-import")};Ann\nnot an address;Bob`);
    await main(page).getByRole("button", { name: w.preview, exact: true }).click();
    await expect(main(page).getByRole("table").first()).toBeVisible({ timeout: 20_000 });
    await audit("import preview");

    await go("/en/manage/subscriptions/sms-opt-outs");
    await audit("SMS opt-outs");
    await main(page).getByRole("button", { name: new RegExp(`^${w.takeBack} `) }).first().click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await audit("SMS opt-outs, take back dialog");
    await page.keyboard.press("Escape");
    await main(page).locator('button[type="submit"]').first().click();
    await expect(main(page).locator('[aria-invalid="true"]').first()).toBeVisible();
    await audit("SMS opt-outs, refused");

    await go("/en/manage/templates");
    await audit("templates");
    await go("/en/manage/templates/new");
    await audit("new template");
    await main(page).getByRole("form").locator('button[type="submit"]').first().click();
    await expect(main(page).locator('[aria-invalid="true"]').first()).toBeVisible();
    await audit("new template, refused");
    await main(page).getByRole("radio", { name: "SMS", exact: true }).check();
    await audit("new template, as an SMS");
    await go(seeded.templatePath);
    await audit("edit template");
    await main(page).getByRole("searchbox", { name: w.previewAs }).fill("axe-");
    await expect(main(page).getByRole("button", { name: seeded.members[0] })).toBeVisible();
    await audit("edit template, preview as: subscribers found");
    const testSend = main(page).getByRole("form", { name: w.testSend });
    await testSend.locator('input[type="email"]').fill("not an address");
    await testSend.locator('button[type="submit"]').click();
    await expect(testSend.locator('[aria-invalid="true"]')).toBeVisible();
    await audit("edit template, test send refused");
    await main(page).getByRole("button", { name: w.send, exact: true }).click();
    await expect(main(page).getByRole("dialog", { name: w.sendTitle })).toBeVisible();
    await audit("edit template, send dialog");
    await main(page).getByRole("dialog", { name: w.sendTitle }).getByRole("radio", { name: w.later }).check();
    await audit("edit template, send dialog, scheduled");
    await page.keyboard.press("Escape");
    await go(seeded.sendPath);
    await audit("send report");

    await go("/en/manage/sms-replies");
    await audit("SMS replies");

    await go("/en/manage/i18n");
    await audit("internationalisation");
    await main(page).getByText(w.addKey, { exact: true }).click();
    await audit("internationalisation, add a key open");
    await go("/en/manage/i18n?q=home.intro");
    const row = main(page).getByRole("form", { name: "home.intro", exact: true });
    await row.locator("textarea").last().fill("Broken {");
    await row.locator('button[type="submit"]').click();
    await expect(row.getByRole("alert")).toBeVisible();
    await audit("internationalisation, translation refused");
  }
});

test("on a phone's screen: the public pages and Manage with its menu open, in French and in English", async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  // Another layout (columns hidden, the menu folded into a disclosure): its own markup to check.
  const context = await browser.newContext({ baseURL, locale: "en-GB", viewport: { width: 375, height: 740 } });
  const page = await context.newPage();
  try {
    await signIn(page, "fr", superuser());
    for (const locale of ["fr", "en"] as Locale[]) {
      const w = words[locale];
      const audit = (screen: string) => auditPage(page, `(${locale}, phone) ${screen}`);
      await page.goto(`/${locale}`);
      await audit("home");
      for (const enPath of ["/en/manage/queue", seeded.groupPath, "/en/manage/subscriptions/sms-opt-outs", seeded.templatePath, seeded.sendPath]) {
        await page.goto(at(locale, enPath));
        await page.locator("summary").filter({ hasText: w.menu }).click();
        await expect(page.getByRole("navigation", { name: w.menu })).toBeVisible();
        await audit(`${enPath.replace(/^\/en\/manage\//, "")}, menu open`);
      }
    }
  } finally {
    await context.close();
  }
});
