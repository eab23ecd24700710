import { createGroup, expect, main, pasteIntoGroup, signIn, superuser, test } from "./support";

// ann@crème.fr is stored as ann@xn--crme-6oa.fr; the group's page shows it and finds it as typed.
test("an address on an accented domain is listed as typed, and found by its accented prefix", async ({ page }) => {
  await signIn(page, "en", superuser());
  const group = await createGroup(page, `IDN ${Date.now().toString(36)}`);
  const local = `ann.${Date.now().toString(36)}`;
  await pasteIntoGroup(page, [`${local}@crème.fr`, `${local}@creme.fr`]);
  const table = main(page).getByRole("table");
  await expect(table).toContainText(`${local}@crème.fr`);
  await expect(table).not.toContainText("xn--");

  await page.goto(`${group}?q=${encodeURIComponent(`${local}@crème`)}`);
  await expect(main(page).getByRole("checkbox", { name: `Select ${local}@crème.fr`, exact: true })).toBeVisible();
  await expect(main(page).getByRole("table")).not.toContainText(`${local}@creme.fr`);
});
