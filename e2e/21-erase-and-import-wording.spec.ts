import type { Page } from "@playwright/test";
import { createGroup, expect, main, pasteIntoGroup, signIn, superuser, test, uniqueEmail } from "./support";

// Found walking through Manage as a French-speaking administrator (UX review).

test("Erase a person: a mistyped address is said beside the field, before the irreversible erasure is asked for", async ({ page }) => {
  await signIn(page, "fr", superuser());
  await page.goto("/fr/manage/subscriptions");
  const erase = main(page).locator("details").filter({ hasText: "Effacer une personne (droit à l’effacement)" });
  await erase.getByText("Effacer une personne (droit à l’effacement)").click();
  const field = erase.getByLabel("Adresse email", { exact: true });
  await field.fill("jean.dupont@exemple");
  await erase.getByRole("button", { name: "Effacer…" }).click();
  // No confirmation of erasing "jean.dupont@exemple": the field says what to fix, and keeps it.
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toHaveAccessibleDescription(/Saisissez une adresse email valide\./);
  await expect(field).toBeFocused();
  await expect(field).toHaveValue("jean.dupont@exemple");
  // Corrected, it asks before erasing, and closing the question erases nothing.
  await field.fill("jean.dupont@exemple.fr");
  await expect(field).not.toHaveAttribute("aria-invalid", "true");
  await erase.getByRole("button", { name: "Effacer…" }).click();
  const dialog = page.getByRole("dialog", { name: /^Effacer jean\.dupont@exemple\.fr\s?\?$/ });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Annuler" }).click();
  await expect(dialog).toHaveCount(0);
});

/** Opens "Effacer une personne" on the French subscriptions page and asks to erase `address`. */
async function askToErase(page: Page, address: string) {
  await page.goto("/fr/manage/subscriptions");
  const erase = main(page).locator("details").filter({ hasText: "Effacer une personne (droit à l’effacement)" });
  await erase.getByText("Effacer une personne (droit à l’effacement)").click();
  await erase.getByLabel("Adresse email", { exact: true }).fill(address);
  await erase.getByRole("button", { name: "Effacer…" }).click();
  return page.getByRole("dialog", { name: new RegExp(`^Effacer ${address.replace(/[.]/g, "\\.")}\\s?\\?$`) });
}

test("Erase a person: an address with no subscription on the site is said before the erasure, which stays possible", async ({ page }) => {
  await signIn(page, "en", superuser());
  const known = uniqueEmail("erase-known");
  await createGroup(page, `Erase ${Date.now().toString(36)}`);
  await pasteIntoGroup(page, [known]);

  // A typo: the dialog says nothing was found, and what erasing it anyway does, before asking.
  const typo = uniqueEmail("personne").replace("@e2e.example.org", "@nulle.part");
  let dialog = await askToErase(page, typo);
  await expect(dialog.getByRole("note")).toHaveText(`Aucun abonnement de ${typo} n’a été trouvé sur ce site, dans aucun groupe. Vérifiez que l’adresse ne comporte pas de faute de frappe avant de l’effacer.`);
  await expect(dialog).toContainText("L’effacer quand même met l’adresse dans la liste «\u202fne pas contacter\u202f»");
  await expect(dialog.getByRole("button", { name: "Effacer quand même" })).toBeVisible();
  await dialog.getByRole("button", { name: "Annuler" }).click();
  await expect(dialog).toHaveCount(0);

  // An address the site holds: its subscriptions are counted, no such warning.
  dialog = await askToErase(page, known);
  await expect(dialog).toContainText(`1 abonnement de ${known} sur ce site.`);
  await expect(dialog.getByRole("note")).toHaveCount(0);
  await expect(dialog.getByRole("button", { name: "Effacer", exact: true })).toBeVisible();
  await dialog.getByRole("button", { name: "Annuler" }).click();

  // A person may ask before ever subscribing: erasing anyway is done, and said.
  dialog = await askToErase(page, typo);
  await dialog.getByRole("button", { name: "Effacer quand même" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: `${typo} effacée` })).toBeVisible();
  // Asked again, the address is said already erased.
  dialog = await askToErase(page, typo);
  await expect(dialog.getByRole("note")).toContainText("elle a déjà été effacée");
});

test("an import without a language column names the new addresses' language in English on the English screen", async ({ page }) => {
  await signIn(page, "en", superuser());
  const group = await createGroup(page, `Import language ${Date.now().toString(36)}`);
  await page.goto(`${group}/import`);
  await main(page).getByLabel("CSV text", { exact: true }).fill("email;name\nann.import@example.org;Ann");
  await main(page).getByRole("button", { name: "Preview", exact: true }).click();
  // The site's language is French: "French", not the switcher's "Français", in an English sentence.
  await expect(main(page)).toContainText("None (every new address: French)", { timeout: 20_000 });
  await expect(main(page)).not.toContainText("every new address: Français");
});
