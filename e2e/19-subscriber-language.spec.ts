import { createGroup, expect, main, signIn, superuser, test, uniqueEmail } from "./support";

// A subscriber's language on the group's page: chosen when adding, shown in its column, changed
// for a selection by "Set language", and filtered on. Independent of the other specs: it makes
// its own group and addresses.

test("an admin sees each subscriber's language, changes it for a selection, and filters on it", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "en", superuser());
  const path = await createGroup(page, `Language group ${Date.now().toString(36)}`);
  const [reader, switcher, francophone] = [uniqueEmail("lang-reader"), uniqueEmail("lang-switcher"), uniqueEmail("lang-fr")];

  // Two pasted in English, one added in French.
  const paste = main(page).getByRole("form", { name: "Paste addresses" });
  await paste.getByLabel("Addresses", { exact: true }).fill(`${reader}\n${switcher}`);
  await paste.getByLabel("Language", { exact: true }).selectOption("en");
  await paste.getByRole("button", { name: "Add these addresses" }).click();
  await expect(paste.getByRole("status")).toContainText("Added: 2.");
  // The box keeps the language chosen, for the next addresses.
  await expect(paste.getByLabel("Language", { exact: true })).toHaveValue("en");
  const one = main(page).getByRole("form", { name: "Add one address" });
  await one.getByLabel("Email address").fill(francophone);
  await one.getByLabel("Language", { exact: true }).selectOption("fr");
  await one.getByRole("button", { name: "Add", exact: true }).click();
  await expect(one.getByRole("status")).toContainText(`${francophone} was added to the group.`);

  const table = main(page).getByRole("table", { name: "Subscriptions of the group" });
  await expect(table.getByRole("columnheader", { name: "Language" })).toBeVisible();
  const cell = (email: string, language: string) => table.getByRole("row").filter({ hasText: email }).getByRole("cell", { name: language, exact: true });
  await expect(cell(reader, "English")).toBeVisible();
  await expect(cell(switcher, "English")).toBeVisible();
  await expect(cell(francophone, "French")).toBeVisible();

  // "Set language" for one of them: it asks first, then says what it did.
  await table.getByRole("checkbox", { name: `Select ${switcher}` }).check();
  await main(page).getByLabel("Language to set", { exact: true }).selectOption("fr");
  await main(page).getByRole("button", { name: "Set language…" }).click();
  const dialog = main(page).getByRole("dialog", { name: "Set the language to French" });
  await expect(dialog).toContainText("1 address will receive the messages written in French.");
  await dialog.getByRole("button", { name: "Set language", exact: true }).click();
  await expect(main(page).getByRole("status").filter({ hasText: "1 subscription now reads French." })).toBeVisible();
  await expect(cell(switcher, "French")).toBeVisible();
  await expect(cell(switcher, "English")).toHaveCount(0);
  await expect(cell(reader, "English")).toBeVisible();

  // The filter: English readers only, and the choice stays in the URL and the form.
  const filters = main(page).getByRole("search", { name: "Filter the subscriptions" });
  await filters.getByLabel("Language", { exact: true }).selectOption("en");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`${path}\\?(.*&)?lang=en(&|$)`));
  await expect(filters.getByLabel("Language", { exact: true })).toHaveValue("en");
  await expect(table.getByRole("row").filter({ hasText: reader })).toBeVisible();
  await expect(table.getByRole("row").filter({ hasText: switcher })).toHaveCount(0);
  await expect(table.getByRole("row").filter({ hasText: francophone })).toHaveCount(0);
});
