import { expect, main, signIn, superuser, test, text } from "./support";

/**
 * A form sent with bad input answers field by field, in the page's language, ties each error
 * to its field for assistive technology, and gives back what was typed in the other fields.
 */
for (const locale of ["fr", "en"] as const) {
  const t = text[locale];
  test(`new user with an invalid email and a short password (/${locale}): translated field errors, other fields kept`, async ({ page }) => {
    await signIn(page, locale, superuser());
    await page.goto(`/${locale}/manage/users/new`);
    const form = main(page);

    const name = form.getByLabel(t.name, { exact: true });
    const email = form.getByLabel(t.email, { exact: true });
    const language = form.getByLabel(t.locale, { exact: true });
    const role = form.getByLabel(t.role, { exact: true });
    const password = form.getByLabel(t.password, { exact: true });
    const confirm = form.getByLabel(t.confirmPassword, { exact: true });

    const typedName = `Ada Lovelace ${locale}`;
    await name.fill(typedName);
    await email.fill("not-an-email");
    await language.selectOption(locale === "fr" ? "en" : "fr");
    await role.selectOption("admin");
    await password.fill("short");
    await confirm.fill("short");
    await form.getByRole("button", { name: t.createUser }).click();

    await expect(form.getByRole("alert")).toHaveText(t.checkFields);
    await expect(page).toHaveURL(new RegExp(`/${locale}/manage/users/new$`));

    // Field-level errors, translated and announced with their field.
    await expect(email).toHaveAttribute("aria-invalid", "true");
    await expect(email).toHaveAccessibleDescription(t.emailInvalid);
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await expect(password).toHaveAccessibleDescription(new RegExp(`^${t.tooShort10}`));
    await expect(name).toHaveAttribute("aria-invalid", "false");

    // What was typed is still there (passwords are never sent back). Soft: report every
    // field that lost its value, then go on.
    await expect.soft(name).toHaveValue(typedName);
    await expect.soft(email).toHaveValue("not-an-email");
    await expect.soft(language, "the language chosen before sending").toHaveValue(locale === "fr" ? "en" : "fr");
    await expect.soft(role, "the role chosen before sending").toHaveValue("admin");

    // Correcting the fields creates the user (choices made again, in case they were lost).
    await language.selectOption(locale === "fr" ? "en" : "fr");
    await role.selectOption("admin");
    const fixed = `ada-${locale}-${Date.now().toString(36)}@e2e.example.org`;
    await email.fill(fixed);
    await password.fill("long-enough-password");
    await confirm.fill("long-enough-password");
    await form.getByRole("button", { name: t.createUser }).click();
    await expect(page).toHaveURL(new RegExp(`/${locale}/manage/users/\\d+\\?created=1$`));
    await expect(form.getByRole("heading", { level: 1, name: fixed })).toBeVisible();
    await expect(form.getByLabel(t.role, { exact: true })).toHaveValue("admin");
  });
}

test("two different passwords are refused on the confirmation field", async ({ page }) => {
  await signIn(page, "fr", superuser());
  await page.goto("/fr/manage/users/new");
  const form = main(page);
  await form.getByLabel("Nom", { exact: true }).fill("Grace Hopper");
  await form.getByLabel("Adresse email", { exact: true }).fill("grace@e2e.example.org");
  await form.getByLabel("Mot de passe", { exact: true }).fill("long-enough-password");
  await form.getByLabel("Confirmez le mot de passe", { exact: true }).fill("another-long-password");
  await form.getByRole("button", { name: "Créer l’utilisateur" }).click();
  await expect(form.getByRole("alert")).toHaveText(text.fr.checkFields);
  await expect(form.getByLabel("Confirmez le mot de passe", { exact: true })).toHaveAccessibleDescription("Les deux mots de passe diffèrent.");
  await expect(form.getByLabel("Adresse email", { exact: true })).toHaveValue("grace@e2e.example.org");
  await expect(form.getByLabel("Nom", { exact: true })).toHaveValue("Grace Hopper");
});
