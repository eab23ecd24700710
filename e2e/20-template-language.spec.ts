import type { Page } from "@playwright/test";
import { createGroup, expect, main, pasteIntoGroup, signIn, superuser, test, uniqueEmail } from "./support";

// A template for the readers of one language: the subscribers added by hand have no known
// language and count as the site's (French); pasted recipients always receive it.

async function dialogCount(page: Page) {
  await main(page).getByRole("button", { name: "Send…", exact: true }).click();
  const dialog = main(page).getByRole("dialog", { name: "Send this template" });
  await expect(dialog).not.toContainText("Counting the recipients", { timeout: 30_000 });
  return dialog;
}

test("a template for English readers reaches only them, and says so in the list and the send dialog", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "en", superuser());
  const label = `Language group ${Date.now().toString(36)}`;
  await createGroup(page, label);
  await pasteIntoGroup(page, [uniqueEmail("lang-a"), uniqueEmail("lang-b")]);

  await page.goto("/en/manage/templates/new");
  const form = main(page).getByRole("form", { name: "Template" });
  const name = `Bilingual ${Date.now().toString(36)}`;
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Subject", { exact: true }).fill("News");
  await form.getByLabel("HTML body", { exact: true }).fill("<p>Hello</p>");
  await form.getByRole("checkbox", { name: label, exact: true }).check();
  const readers = form.getByLabel("Subscribers’ language", { exact: true });
  await expect(readers).toHaveValue("");
  await expect(form).toContainText("Group subscribers whose language is not known read the site’s (French).");
  await readers.selectOption({ label: "English only" });
  await form.getByLabel("Other addresses", { exact: true }).fill(uniqueEmail("lang-pasted"));
  await form.getByRole("button", { name: "Create the template" }).click();
  await expect(page).toHaveURL(/\/en\/manage\/templates\/\d+\?created=1$/, { timeout: 30_000 });
  const url = new URL(page.url()).pathname;
  await expect(main(page).getByLabel("Subscribers’ language", { exact: true })).toHaveValue("en");

  // The two subscribers read French (unknown: the site's): only the pasted address is left.
  let dialog = await dialogCount(page);
  await expect(dialog).toContainText("It will go to 1 recipient.");
  await expect(dialog).toContainText("Subscribers’ language: English only");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await page.goto(`/en/manage/templates?q=${encodeURIComponent(name)}`);
  await expect(main(page).getByRole("row").filter({ hasText: name })).toContainText(`${label} (readers: English)`);

  // For French readers: the two of them and the pasted address.
  await page.goto(url);
  await main(page).getByLabel("Subscribers’ language", { exact: true }).selectOption({ label: "French only" });
  await main(page).getByRole("button", { name: "Save" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: "Template saved." })).toBeVisible({ timeout: 30_000 });
  dialog = await dialogCount(page);
  await expect(dialog).toContainText("It will go to 3 distinct recipients.");
  await expect(dialog).toContainText("Subscribers’ language: French only");
});
