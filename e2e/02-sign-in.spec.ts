import { readFile } from "node:fs/promises";
import type { Browser, Page } from "@playwright/test";
import { createMember, expect, main, newSession, signIn, signInForm, submitSignIn, superuser, test, text, uniqueEmail, type Locale } from "./support";

/**
 * Signing in: translated errors that keep the typed email, the round trip through sign-in
 * for a signed-out visit to a management page, signing out, and disabled accounts.
 * (Failed attempts count against the login rate limit, 20 per IP per 15 minutes: this file
 * makes fewer than 10.)
 */

for (const locale of ["fr", "en"] as const) {
  test(`a wrong password on /${locale} shows ${locale === "fr" ? "a French" : "an English"} error and keeps the email`, async ({ page }) => {
    // fr: the real superuser with a wrong password; en: an address nobody has. Same answer.
    const email = locale === "fr" ? superuser().email : uniqueEmail("nobody");
    await page.goto(`/${locale}/sign-in`);
    await expect(main(page).getByRole("heading", { level: 1 })).toHaveText(text[locale].signInTitle);
    await submitSignIn(page, locale, email, "definitely-not-the-password");

    const form = signInForm(page, locale);
    await expect(form.alert).toHaveText(text[locale].invalidCredentials);
    await expect(page).toHaveURL(new RegExp(`/${locale}/sign-in$`));
    await expect(page.locator("html")).toHaveAttribute("lang", locale);
    await expect(form.email).toHaveValue(email);
    await expect(form.password).toHaveValue("");
    // Still signed out.
    await expect(page.getByRole("navigation", { name: locale === "fr" ? "Navigation principale" : "Main navigation" }).getByRole("link", { name: text[locale].signInButton })).toBeVisible();
  });
}

const returns: { path: string; heading: string; locale: Locale }[] = [
  { path: "/fr/manage/users", heading: text.fr.usersTitle, locale: "fr" },
  { path: "/fr/manage/i18n", heading: "Internationalisation", locale: "fr" },
];
for (const { path, heading, locale } of returns) {
  test(`a signed-out visit to ${path} goes to sign-in and comes back after signing in`, async ({ page }) => {
    await page.goto(path);
    await expect(page).toHaveURL(new RegExp(`/${locale}/sign-in\\?callbackUrl=`));
    await expect(page.getByRole("heading", { level: 1, name: text[locale].signInTitle })).toBeVisible();

    await submitSignIn(page, locale, superuser().email, superuser().password);
    // Back on the page that was asked for, not merely somewhere in Manage.
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  });
}

test("a member disabled from the user edit screen cannot sign in any more", async ({ page, browser, baseURL }) => {
  const member = { name: "Bientôt désactivé", email: uniqueEmail("disabled"), password: "disabled-pass-1234" };
  await signIn(page, "fr", superuser());
  const id = await createMember(page, member);

  // Before: the member can sign in.
  const other = await newSession(browser, baseURL);
  await signIn(other.page, "fr", member);
  await other.page.goto("/fr/profile");
  await expect(other.page).toHaveURL(/\/fr\/profile$/);

  // The superuser disables the account on its edit screen.
  await page.goto(`/fr/manage/users/${id}`);
  const form = main(page);
  await expect(form.getByRole("heading", { level: 1, name: member.email })).toBeVisible();
  const disabled = form.getByLabel("Compte désactivé (ne peut plus se connecter)");
  await expect(disabled).not.toBeChecked();
  await disabled.check();
  await form.getByRole("button", { name: "Enregistrer" }).click();
  // status or alert: a failure then shows the message the form actually gave.
  await expect(form.getByRole("status").or(form.getByRole("alert"))).toHaveText("Utilisateur enregistré.");
  await page.reload();
  await expect(form.getByLabel("Compte désactivé (ne peut plus se connecter)")).toBeChecked();
  await page.goto(`/fr/manage/users?q=${encodeURIComponent(member.email)}`);
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: member.email }) });
  await expect(row.getByRole("cell", { name: "Désactivé", exact: true })).toBeVisible();
  // The status filter finds the account among the disabled ones, and the export carries it.
  const search = main(page).getByRole("search", { name: "Filtrer les utilisateurs" });
  await search.getByLabel("État").selectOption({ label: "Désactivé" });
  await search.getByRole("button", { name: "Filtrer" }).click();
  await expect(page).toHaveURL(/status=disabled/);
  await expect(main(page).getByRole("link", { name: member.email })).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), main(page).getByRole("link", { name: "Exporter ces utilisateurs (CSV)" }).click()]);
  const csv = await readFile((await download.path())!, "utf8");
  // From the French screen: in French, separated by semicolons, as French Excel reads a .csv.
  const [header, ...lines] = csv.replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);
  expect(header).toBe("Identifiant;Adresse e-mail;Nom;Rôle;Site;Langue;État;Date de création");
  expect(lines).toEqual([expect.stringContaining(`;${member.email};`)]);
  expect(lines[0]).toMatch(/;Membre;[^;]+;(Français|Anglais);Désactivé;\d{4}-\d\d-\d\dT/);

  // The open session stops working at once...
  await other.page.goto("/fr/profile");
  await expect(other.page).toHaveURL(/\/fr\/sign-in\?callbackUrl=/);

  // ...and signing in again is refused with the same answer as a wrong password.
  await submitSignIn(other.page, "fr", member.email, member.password);
  await expect(signInForm(other.page, "fr").alert).toHaveText(text.fr.invalidCredentials);
  await expect(other.page).toHaveURL(/\/fr\/sign-in/);
  await expect(signInForm(other.page, "fr").email).toHaveValue(member.email);
  await other.page.goto("/fr/profile");
  await expect(other.page).toHaveURL(/\/fr\/sign-in\?callbackUrl=/);
  await other.context.close();
});

/** A new member (created by the superuser on `page`), signed in on two browsers of their own. */
async function memberInTwoBrowsers(page: Page, browser: Browser, baseURL: string | undefined, member: { name: string; email: string; password: string }) {
  await signIn(page, "fr", superuser());
  await createMember(page, member);
  const here = await newSession(browser, baseURL);
  const elsewhere = await newSession(browser, baseURL);
  await signIn(here.page, "fr", member);
  await signIn(elsewhere.page, "fr", member);
  return { here, elsewhere };
}

test("changing one's password keeps this browser signed in and signs the other one out", async ({ page, browser, baseURL }) => {
  const member = { name: "Change de mot de passe", email: uniqueEmail("rotate"), password: "first-pass-12345" };
  // The member is signed in on two browsers (a phone left somewhere, say).
  const { here, elsewhere } = await memberInTwoBrowsers(page, browser, baseURL, member);
  await elsewhere.page.goto("/fr/profile");
  await expect(elsewhere.page).toHaveURL(/\/fr\/profile$/);

  await here.page.goto("/fr/profile");
  const form = main(here.page);
  await form.getByLabel("Mot de passe actuel", { exact: true }).fill(member.password);
  await form.getByLabel("Nouveau mot de passe", { exact: true }).fill("second-pass-67890");
  await form.getByLabel("Confirmez le nouveau mot de passe", { exact: true }).fill("second-pass-67890");
  await form.getByRole("button", { name: "Changer le mot de passe" }).click();
  await expect(form.getByRole("status").or(form.getByRole("alert"))).toContainText("Mot de passe modifié.");

  // This browser was given a new session: it still reaches its profile after a reload...
  await here.page.reload();
  await expect(here.page).toHaveURL(/\/fr\/profile$/);
  await expect(main(here.page).getByLabel("Nom", { exact: true })).toHaveValue(member.name);
  // ...while the other one, opened with the old password, is signed out.
  await elsewhere.page.goto("/fr/profile");
  await expect(elsewhere.page).toHaveURL(/\/fr\/sign-in\?callbackUrl=/);
  await signIn(elsewhere.page, "fr", { email: member.email, password: "second-pass-67890" });
  await here.context.close();
  await elsewhere.context.close();
});

test("signing out ends the session, even for a copy of its cookie; the account's other browser stays signed in", async ({ page, browser, baseURL }) => {
  const member = { name: "Déconnexion", email: uniqueEmail("signout"), password: "sign-out-pass-123" };
  const { here, elsewhere } = await memberInTwoBrowsers(page, browser, baseURL, member);
  // Someone copies this browser's cookie (a shared computer, a stolen cookie): it works, for now.
  const copy = await newSession(browser, baseURL);
  await copy.context.addCookies(await here.context.cookies());
  await copy.page.goto("/fr/profile");
  await expect(copy.page).toHaveURL(/\/fr\/profile$/);

  await here.page.goto("/fr/profile");
  const header = here.page.getByRole("navigation", { name: "Navigation principale" });
  await header.getByRole("button", { name: "Se déconnecter" }).click();
  await expect(header.getByRole("link", { name: "Se connecter" })).toBeVisible();
  await here.page.goto("/fr/profile");
  await expect(here.page).toHaveURL(/\/fr\/sign-in\?callbackUrl=/);

  // The copy is refused now; the member's other browser is not affected.
  await copy.page.goto("/fr/profile");
  await expect(copy.page).toHaveURL(/\/fr\/sign-in\?callbackUrl=/);
  await elsewhere.page.goto("/fr/profile");
  await expect(elsewhere.page).toHaveURL(/\/fr\/profile$/);
  for (const s of [here, elsewhere, copy]) await s.context.close();
});
