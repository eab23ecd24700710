import { startSmsc } from "../tests/helpers/smsc";
import { atWidth, createGroup, createMember, expect, expectFits, main, newSession, screenControls, setSmsTransport, signIn, superuser, test, uniqueEmail, waitForReply, type Locale } from "./support";

// Leftovers of earlier rounds: a refused password change keeps what was typed, and the SMS
// replies and the import's tables fit their box as the other Manage tables do (e2e/24's measure).
// Independent of the other specs: it makes its own member, group, subscriber and replies, and
// leaves the site without an SMS transport (its SMSC is gone), as e2e/08 and e2e/24 do.

test.describe.configure({ mode: "serial" });

test("a refused password change keeps the three passwords as typed, without the server sending them back", async ({ page, browser, baseURL }) => {
  const member = { name: "Keeps typing", email: uniqueEmail("password-kept"), password: "old-password-1234" };
  await signIn(page, "en", superuser());
  await createMember(page, member);

  const own = await newSession(browser, baseURL);
  try {
    const p = own.page;
    await signIn(p, "en", member);
    await p.goto("/en/profile");
    const form = main(p).locator("form", { has: p.getByLabel("Current password", { exact: true }) });
    const current = form.getByLabel("Current password", { exact: true });
    const next = form.getByLabel("New password", { exact: true });
    const confirm = form.getByLabel("Confirm the new password", { exact: true });
    // What the server answers the form: never a password (the fields keep them in the browser).
    // Counted when each answer arrives, read in full when checked (a body still being read is not missed).
    const answers: Promise<string>[] = [];
    p.on("response", (response) => {
      if (response.request().method() === "POST") answers.push(response.text().catch(() => ""));
    });

    // A wrong current password: refused on its field, and nothing typed is lost.
    await current.fill("not-the-password-1");
    await next.fill("brand-new-password-1");
    await confirm.fill("brand-new-password-1");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert")).toHaveText("The current password is not correct.");
    await expect(current).toHaveValue("not-the-password-1");
    await expect(next).toHaveValue("brand-new-password-1");
    await expect(confirm).toHaveValue("brand-new-password-1");

    // A confirmation that differs (refused by the form's schema): the same.
    await current.fill(member.password);
    await confirm.fill("brand-new-password-2");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert")).toHaveText("Please correct the highlighted fields.");
    await expect(confirm).toHaveAccessibleDescription("The two passwords differ.");
    await expect(current).toHaveValue(member.password);
    await expect(next).toHaveValue("brand-new-password-1");
    await expect(confirm).toHaveValue("brand-new-password-2");
    // Given back as the fields' values only, never written into the page's markup.
    for (const field of [current, next, confirm]) expect(await field.getAttribute("value")).toBeNull();

    // Changed: the fields are emptied.
    await confirm.fill("brand-new-password-1");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("status")).toContainText("Password changed.");
    for (const field of [current, next, confirm]) await expect(field).toHaveValue("");

    expect(answers.length).toBeGreaterThanOrEqual(3);
    const bodies = await Promise.all(answers);
    for (const secret of ["not-the-password-1", "brand-new-password-1", "brand-new-password-2", member.password]) {
      expect(bodies.filter((a) => a.includes(secret))).toEqual([]);
    }
  } finally {
    await own.context.close();
  }
});

// --- Tables: the SMS replies, the import's preview and its refused rows -------------------------

const stamp = Date.now().toString(36);
const seeded = { groupPath: "" };
const longAddress = `marie-christine.de-la-fontaine-dupont-${stamp}@association-des-amis-du-patrimoine.example.org`;
// (The loopback SMSC sends GSM-7: no ’ nor ê in the replies.) Two numbers of their own (no other spec's opt-out or group holds them).
const digits = String(Date.now() % 1_000_000).padStart(6, "0");
const subscriberNumber = `+33 6 5${digits[0]} ${digits.slice(1, 3)} ${digits.slice(3, 5)} ${digits[5]}1`;
const strangerNumber = `+33 6 5${digits[0]} ${digits.slice(1, 3)} ${digits.slice(3, 5)} ${digits[5]}2`;
const e164 = (n: string) => n.replace(/ /g, "");

// e2e/24's measure (expectFits), on text areas too: the SMS replies' answer form has one.
const controls = `${screenControls}, textarea`;

test("setup: a subscriber with a long address, replies with long words, one answered", async ({ page }) => {
  test.setTimeout(180_000);
  const smsc = await startSmsc({ receipts: "auto", receiptDelayMs: 100 });
  await signIn(page, "en", superuser());
  try {
    await setSmsTransport(page, smsc.url());
    seeded.groupPath = await createGroup(page, `Lettre d’information mensuelle de l’association ${stamp}`);
    const add = main(page).getByRole("form", { name: "Add one address" });
    await add.getByLabel("Email address").fill(longAddress);
    await add.getByLabel("Name (optional)").fill("Marie-Christine de La Fontaine-Dupont de Montmorency");
    await add.getByLabel("Mobile number (optional)").fill(subscriberNumber);
    await add.getByRole("button", { name: "Add", exact: true }).click();
    await expect(add.getByRole("status")).toContainText(`marie-christine.de-la-fontaine-dupont-${stamp}`);

    await smsc.sendInbound(e164(subscriberNumber), `Bonjour, je ne pourrai pas venir à l'assemblée générale de samedi ; voici le lien vers ma procuration : https://www.association-des-amis-du-patrimoine.example.org/procurations/${stamp}/assemblee-generale-2026`);
    await smsc.sendInbound(e164(strangerNumber), "Qui etes-vous ? Je ne me suis jamais inscrit à cette liste, merci de ne plus m'écrire.");
    await waitForReply(page, "procuration");
    const row = await waitForReply(page, "Qui etes-vous");
    // One answered: the row then says so, with the answer's status.
    await row.getByRole("button", { name: `Answer ${strangerNumber}` }).click();
    await row.getByLabel(`Your SMS to ${strangerNumber}`).fill("Vous avez rejoint la liste de l’association le mois dernier ; répondez STOP pour la quitter.");
    await row.getByRole("button", { name: "Send", exact: true }).click();
    await expect(row.getByRole("status")).toContainText("queued");
  } finally {
    // Even after a failed step: the specs that follow must not send to this SMSC once it is gone.
    try {
      await setSmsTransport(page, "");
    } finally {
      await smsc.close();
    }
  }
});

// A file with what made the import's tables overflow: a long address and name, a number, a
// language, and refused rows (an address that is none, a landline, a language chora does not speak).
const csv = [
  "email;name;mobile;language",
  `${longAddress};Marie-Christine de La Fontaine-Dupont de Montmorency;${subscriberNumber};fr`,
  `jean.dupont-${stamp}@example.org;Jean Dupont;;en`,
  `pas-une-adresse-${stamp}-association-des-amis-du-patrimoine.example.org;Sans arobase;;fr`,
  `fixe-${stamp}@example.org;Ligne fixe;01 40 00 00 00;fr`,
  `langue-${stamp}@example.org;Langue inconnue;;klingon`,
].join("\n");

const words = {
  fr: { text: "Texte CSV", preview: "Aperçu", import: /^Importer \d+ adresses?$/, caption: "Lignes du fichier et ce que chacune deviendra", refused: "Lignes refusées", answer: "Répondre au", answerText: "Votre SMS au" },
  en: { text: "CSV text", preview: "Preview", import: /^Import \d+ address(es)?$/, caption: "Rows of the file and what each will become", refused: "Refused rows", answer: "Answer", answerText: "Your SMS to" },
} as const;

for (const width of [390, 768, 1024, 1280]) {
  test(`at ${width} px the SMS replies and the import's tables fit their box and their actions are on screen, in French and in English`, async ({ browser, baseURL }) => {
    test.setTimeout(180_000);
    await atWidth(browser, baseURL, width, superuser(), async (page) => {
      for (const locale of ["fr", "en"] as Locale[]) {
        const w = words[locale];
        await page.goto(`/${locale}/manage/sms-replies`);
        await expect(main(page).getByRole("region").first()).toBeVisible();
        await expectFits(page, `/${locale}/manage/sms-replies at ${width} px`, controls);
        // With an answer being written too.
        const row = main(page).getByRole("row").filter({ hasText: "procuration" });
        await row.getByRole("button", { name: `${w.answer} ${subscriberNumber}` }).click();
        await expect(row.getByLabel(`${w.answerText} ${subscriberNumber}`)).toBeFocused();
        await expectFits(page, `/${locale}/manage/sms-replies, answer form open, at ${width} px`, controls);

        const importPath = seeded.groupPath.replace(/^\/en\b/, `/${locale}`) + "/import";
        await page.goto(importPath);
        await main(page).getByLabel(w.text, { exact: true }).fill(csv);
        await main(page).getByRole("button", { name: w.preview, exact: true }).click();
        await expect(main(page).getByRole("table", { name: w.caption })).toBeVisible({ timeout: 20_000 });
        await expectFits(page, `${importPath} preview at ${width} px`, controls);
        await main(page).getByRole("button", { name: w.import }).click();
        await expect(main(page).getByRole("table", { name: w.refused })).toBeVisible({ timeout: 20_000 });
        await expectFits(page, `${importPath} report at ${width} px`, controls);
      }
    });
  });
}
