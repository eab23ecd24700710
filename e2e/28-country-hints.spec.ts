import { expect, main, ownGroup, signIn, superuser, test, type Locale } from "./support";
import type { Page } from "@playwright/test";

// The phone hints and the invalid-number error follow the site's "Country for phone numbers"
// (in which numbers typed nationally are read): they were French whatever the country.

async function setCountry(page: Page, country: string) {
  await page.goto("/en/manage/sites");
  await main(page).getByRole("link", { name: "localhost", exact: true }).click();
  await main(page).getByRole("textbox", { name: "Country for phone numbers" }).fill(country);
  await main(page).getByRole("button", { name: "Save" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: /saved/i })).toBeVisible();
}

// Back to France, so other specs see the default site as they expect, even after a failed step.
test.afterEach(async ({ page }) => {
  await setCountry(page, "FR");
});

test("a Belgian site shows a Belgian example in the phone hint and says a French mobile typed nationally is read as Belgian", async ({ page }) => {
  await signIn(page, "en", superuser());
  await setCountry(page, "BE");
  const { path } = await ownGroup(page, "Belgian hints", []);

  const form = main(page).getByRole("form", { name: "Add one address" });
  const phone = form.getByLabel("Mobile number (optional)");
  await expect(phone).toHaveAccessibleDescription(/International \(\+32 450 00 12 34\) or in national format \(Belgium: 0450 00 12 34\)\./);
  await expect(main(page).getByRole("searchbox")).toHaveAttribute("placeholder", "name@example.org or 0450");

  await form.getByLabel("Email address").fill("belgian-hints@example.org");
  await phone.fill("06 10 20 30 77");
  await form.getByRole("button", { name: "Add", exact: true }).click();
  await expect(phone).toHaveAccessibleDescription(/06 10 20 30 77 is not a valid mobile number in Belgium: type an international number \(\+33…\) for another country\./);
  await expect(phone).toHaveValue("06 10 20 30 77");

  // The French screen names the country in French (its typography is checked in
  // tests/sms/country-hints.test.ts: an accessible description turns U+202F into a space).
  const fr: Locale = "fr";
  await page.goto(`/${fr}${path.slice(3)}`);
  const frForm = main(page).getByRole("form", { name: "Ajouter une adresse" });
  const frPhone = frForm.getByLabel("Numéro de mobile (facultatif)");
  await expect(frPhone).toHaveAccessibleDescription(/International \(\+32 450 00 12 34\) ou au format national \(Belgique\s: 0450 00 12 34\)\./);
  await frForm.getByLabel("Adresse email").fill("belgian-hints@example.org");
  await frPhone.fill("06 10 20 30 77");
  await frForm.getByRole("button", { name: "Ajouter", exact: true }).click();
  await expect(frPhone).toHaveAccessibleDescription(/06 10 20 30 77 n’est pas un numéro de mobile valide au format national \(Belgique\)\s: pour un autre pays, saisissez un numéro international \(\+33…\)\./);

  // Typed with its country code, the same number is added.
  await frPhone.fill("+33 6 10 20 30 77");
  await frForm.getByRole("button", { name: "Ajouter", exact: true }).click();
  await expect(frForm.getByRole("status")).toContainText("belgian-hints@example.org");
});

test("an SMS template's pasted numbers refused on a Belgian site say they were read as Belgian, in English and in French", async ({ page }) => {
  await signIn(page, "en", superuser());
  await setCountry(page, "BE");
  const cases = [
    {
      locale: "en",
      form: "Template",
      name: "Name",
      text: "SMS text",
      numbers: "Other numbers",
      create: "Create the template",
      said: /These are not valid mobile numbers in Belgium: 06 10 20 30 77, Ann <06 11 22 33 44>\. Type an international number \(\+33…\) for another country\./,
    },
    {
      locale: "fr",
      form: "Modèle",
      name: "Nom",
      text: "Texte du SMS",
      numbers: "Autres numéros",
      create: "Créer le modèle",
      said: /Ce ne sont pas des numéros de mobile valides au format national \(Belgique\)\s: 06 10 20 30 77, Ann <06 11 22 33 44>\. Pour un autre pays, saisissez un numéro international \(\+33…\)\./,
    },
  ];
  for (const c of cases) {
    await page.goto(`/${c.locale}/manage/templates/new`);
    const form = main(page).getByRole("form", { name: c.form });
    await form.getByLabel(c.name, { exact: true }).fill("Belgian numbers");
    await form.getByRole("radio", { name: "SMS" }).check();
    await form.getByLabel(c.text).fill("Hello");
    const numbers = form.getByLabel(c.numbers, { exact: true });
    const pasted = "06 10 20 30 77\n+32 470 12 34 56\nAnn <06 11 22 33 44>";
    await numbers.fill(pasted);
    await form.getByRole("button", { name: c.create }).click();
    await expect(numbers).toHaveAccessibleDescription(c.said);
    await expect(numbers).toHaveValue(pasted);
  }
});
