import { createGroup, expect, main, signIn, superuser, test } from "./support";

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
