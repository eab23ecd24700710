import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { expect, main, newSession, signIn, superuser, test, uniqueEmail, type Locale } from "./support";

// Group 1 is created the original way: a translation key signup_opt1 added in the
// internationalisation screen. Mail leaves when the queue screen's button is pressed
// (QUEUE_SCHEDULER=off in e2e/global-setup.ts) and lands in the embedded outbox as .eml files.
const labels = { fr: "Lettre des adhérents", en: "Members' letter" };
const words = {
  fr: { email: "Adresse email", subscribe: "M’abonner", thanks: "Merci !", confirm: "Confirmer mon abonnement", confirmed: "Votre abonnement est confirmé" },
  en: { email: "Email address", subscribe: "Subscribe", thanks: "Thank you!", confirm: "Confirm my subscription", confirmed: "Your subscription is confirmed" },
};

async function outboxMailTo(address: string) {
  const root = path.join(process.env.E2E_TMP_DIR!, "data", "outbox");
  if (!existsSync(root)) return null; // nothing sent yet
  for (const site of readdirSync(root)) {
    for (const file of readdirSync(path.join(root, site))) {
      const raw = readFileSync(path.join(root, site, file));
      if (!raw.includes(address)) continue;
      const mail = await simpleParser(raw);
      if (mail.to && JSON.stringify(mail.to).includes(address)) return mail;
    }
  }
  return null;
}

test.describe.configure({ mode: "serial" });

test("an admin creates subscriber group 1 from the internationalisation screen", async ({ page }) => {
  await signIn(page, "en", superuser());
  await page.goto("/en/manage/i18n");
  await main(page).getByText("Add a key").click();
  const add = main(page).locator("details"); // the add form, not the list's per-key textareas
  await add.getByLabel("Key", { exact: true }).fill("signup_opt1");
  await add.getByLabel("Français", { exact: true }).fill(labels.fr);
  await add.getByLabel("English", { exact: true }).fill(labels.en);
  await add.getByRole("button", { name: "Add", exact: true }).click();
  await expect(add.getByText("Key added.")).toBeVisible();
  await page.goto("/en/manage/subscriptions");
  await expect(main(page)).toContainText(labels.en);
});

for (const locale of ["fr", "en"] as Locale[]) {
  test(`(${locale}) a visitor subscribes on the home page, the confirmation email arrives, its page's button confirms, the admin sees it`, async ({ page, browser, baseURL }) => {
    const email = uniqueEmail(`news-${locale}`);
    const visitor = await newSession(browser, baseURL);
    await visitor.page.goto(`/${locale}`);
    const form = main(visitor.page);
    await expect(form.getByLabel(labels[locale], { exact: true })).toBeChecked(); // the only group is preselected
    await form.getByLabel(words[locale].email, { exact: true }).fill(email);
    await form.getByRole("button", { name: words[locale].subscribe }).click();
    await expect(form.getByRole("status")).toContainText(words[locale].thanks);

    await signIn(page, "en", superuser());
    await page.goto("/en/manage/queue");
    await expect(main(page).getByRole("link", { name: email })).toBeVisible();
    await main(page).getByRole("button", { name: "Send pending messages" }).click();
    await expect.poll(() => outboxMailTo(email).then((m) => !!m), { timeout: 20_000 }).toBe(true);

    const mail = (await outboxMailTo(email))!;
    expect(mail.subject).toContain(locale === "fr" ? "confirmez votre abonnement" : "confirm your subscription");
    const link = /https?:\/\/\S+\/newsletter\/confirm\?token=[A-Za-z0-9_-]+/.exec(mail.text ?? "")![0];
    expect(link).toContain(`/${locale}/newsletter/confirm`);
    // Opening the link only asks (mail scanners open links too); the button confirms.
    await visitor.page.goto(new URL(link).pathname + new URL(link).search);
    await expect(main(visitor.page)).toContainText(labels[locale]);
    await expect(main(visitor.page)).not.toContainText(words[locale].confirmed);
    await main(visitor.page).getByRole("button", { name: words[locale].confirm }).click();
    await expect(main(visitor.page).getByRole("status")).toContainText(words[locale].confirmed);
    await expect(main(visitor.page).getByRole("status")).toContainText(labels[locale]);
    await visitor.context.close();

    await page.goto(`/en/manage/subscriptions/1?q=${encodeURIComponent(email)}`);
    const row = main(page).getByRole("row").filter({ hasText: email });
    await expect(row).toContainText("Confirmed");
  });
}
