import type { Page, Route } from "@playwright/test";
import { createMember, expect, newSession, signIn, superuser, test, text, uniqueEmail, type Locale } from "./support";

/**
 * The story, step by step: a newcomer started the app (global setup), signs in as the
 * first superuser with the printed password, switches French/English, overrides a label in the
 * internationalisation screen and sees it on the page, creates a member, and that member
 * cannot open any management page. Each test signs in on its own, so one failing step does
 * not hide the next; French is used wherever the language is not the point.
 */

test("a first visit opens in the browser's language, or the site's default when the app does not speak it", async ({ browser, baseURL }) => {
  for (const [browserLocale, landing] of [["en-GB", "en"], ["fr-FR", "fr"], ["de-DE", "fr"]] as const) {
    const context = await browser.newContext({ baseURL, locale: browserLocale });
    const page = await context.newPage();
    await page.goto("/");
    await expect(page, browserLocale).toHaveURL(new RegExp(`/${landing}$`));
    await expect(page.locator("html"), browserLocale).toHaveAttribute("lang", landing);
    await context.close();
  }
});

test("signs in as the first superuser with the password `npm start` printed", async ({ browser, baseURL }) => {
  // A French browser: no locale in the path, so its language.
  const context = await browser.newContext({ baseURL, locale: "fr-FR" });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page).toHaveURL(/\/fr$/);
  await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/fr\/sign-in$/);
  await signIn(page, "fr", superuser());
  await expect(page).toHaveURL(/\/fr$/);
  await expect(page.getByRole("heading", { level: 1, name: text.fr.home })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Navigation principale" });
  await expect(nav.getByRole("link", { name: "Gérer" })).toBeVisible();
  await expect(nav.getByRole("button", { name: "Se déconnecter" })).toBeVisible();
  await context.close();
});

test("switches between French and English with the header's language switcher", async ({ page }) => {
  await signIn(page, "fr", superuser());
  await page.goto("/fr/manage/users");
  await expect(page.getByRole("heading", { level: 1, name: text.fr.usersTitle })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");

  const switchTo = async (from: Locale, to: Locale, label: string) => {
    const switcher = page.getByRole("navigation", { name: text[from].languageNav });
    await expect(switcher.getByRole("link", { name: from === "fr" ? "Français" : "English" })).toHaveAttribute("aria-current", "true");
    await switcher.getByRole("link", { name: label }).click();
    await expect(page).toHaveURL(new RegExp(`/${to}/manage/users$`));
    await expect(page.locator("html")).toHaveAttribute("lang", to);
  };

  await switchTo("fr", "en", "English");
  // Same page, other language.
  await expect(page.getByRole("heading", { level: 1, name: text.en.usersTitle })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Management menu" }).getByRole("link", { name: "Internationalisation" })).toBeVisible();

  // The choice is remembered: a path without a locale goes to English now, also once the
  // page's links (among them the switcher's "Français") have been prefetched.
  await page.waitForLoadState("networkidle");
  await page.goto("/");
  await expect(page).toHaveURL(/\/en$/);
  await expect(page.getByRole("heading", { level: 1, name: text.en.home })).toBeVisible();

  await page.goto("/en/manage/users");
  await switchTo("en", "fr", "Français");
  await expect(page.getByRole("heading", { level: 1, name: text.fr.usersTitle })).toBeVisible();
});

test("prefetching the other language's link does not change the remembered language", async ({ page }) => {
  await page.goto("/en");
  await page.goto("/");
  await expect(page).toHaveURL(/\/en$/);

  // Next's router prefetches the links in view, the header's "Français" among them, in no
  // fixed order. Hold back every background request for a French page and answer it last,
  // so the outcome does not depend on that order. A prefetch is not a visit: it must not
  // move the remembered language to French.
  const held: Route[] = [];
  await page.route(/\/fr(\/|\?|$)/, (route) => {
    if (route.request().resourceType() === "document") return route.continue();
    held.push(route);
  });
  await page.reload();
  await page.getByRole("navigation", { name: "Language" }).getByRole("link", { name: "Français" }).hover();
  await page.waitForTimeout(1_500); // time for the router to prefetch, if it does
  for (const route of held) {
    // route.fetch() shares the page's cookie jar: its Set-Cookie lands before the next step.
    const response = await route.fetch();
    expect(response.status()).toBeLessThan(500);
    await route.fulfill({ response });
  }
  await page.unroute(/\/fr(\/|\?|$)/);

  await page.goto("/");
  await expect(page, `after ${held.length} prefetch(es) of French pages`).toHaveURL(/\/en$/);
});

/** The row of one key on the internationalisation screen, found with the screen's search. */
async function translationRow(page: Page, locale: Locale, key: string) {
  const search = page.getByRole("search");
  await search.getByLabel(locale === "fr" ? "Recherche" : "Search", { exact: true }).fill(key);
  await search.getByRole("button", { name: locale === "fr" ? "Filtrer" : "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${key.replace(".", "\\.")}`));
  return page.getByRole("form", { name: key, exact: true });
}

test("overrides a French label in the internationalisation screen and sees it change on the page", async ({ page }) => {
  // A header label, put back at the end so later specs read the file's text.
  const key = "layout.profile";
  const override = "Mon compte (e2e)";
  await signIn(page, "fr", superuser());
  const header = page.getByRole("navigation", { name: "Navigation principale" });
  await expect(header.getByRole("link", { name: "Profil", exact: true })).toBeVisible();

  await page.goto("/fr/manage/i18n");
  await expect(page.getByRole("heading", { level: 1, name: "Internationalisation" })).toBeVisible();
  const row = await translationRow(page, "fr", key);
  await expect(row.getByLabel("Français")).toHaveValue("Profil");
  await expect(row.getByLabel("English")).toHaveValue("Profile");
  // A variable the page does not give this label is refused, with what it may use (nothing).
  await row.getByLabel("Français").fill("Profil de {name}");
  await row.getByRole("button", { name: "Enregistrer" }).click();
  await expect(row.getByLabel("Français")).toHaveAccessibleDescription("{name} n’est pas disponible : ce libellé ne prend aucune variable.");
  await expect(row.getByLabel("Français")).toHaveValue("Profil de {name}");
  await row.getByLabel("Français").fill(override);
  await row.getByRole("button", { name: "Enregistrer" }).click();
  await expect(row.getByRole("status")).toHaveText("Enregistré.");
  // The row now says the French value differs from the file's.
  await expect(row.getByText("modifiée", { exact: true })).toBeVisible();
  await expect(row.getByText("Par défaut : Profil")).toBeVisible();

  // Shows on the next page load.
  await page.goto("/fr");
  await expect(header.getByRole("link", { name: override })).toBeVisible();
  await expect(header.getByRole("link", { name: "Profil", exact: true })).toHaveCount(0);

  // Putting the file's text back removes the override.
  await page.goto(`/fr/manage/i18n?q=${key}`);
  await row.getByLabel("Français").fill("Profil");
  await row.getByRole("button", { name: "Enregistrer" }).click();
  await expect(row.getByRole("status")).toHaveText("Enregistré.");
  await expect(row.getByText("modifiée", { exact: true })).toHaveCount(0);
  await page.goto("/fr");
  await expect(header.getByRole("link", { name: "Profil", exact: true })).toBeVisible();
});

test("an English override shows on /en only", async ({ page }) => {
  const key = "home.intro";
  const original = "News, events and messages from our organisation.";
  const override = "Our news, in English (e2e).";
  await signIn(page, "en", superuser());
  await page.goto("/en");
  await expect(page.getByText(original)).toBeVisible();

  await page.goto("/en/manage/i18n");
  await expect(page.getByRole("heading", { level: 1, name: "Internationalisation" })).toBeVisible();
  const row = await translationRow(page, "en", key);
  await expect(row.getByLabel("English")).toHaveValue(original);
  await row.getByLabel("English").fill(override);
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("status")).toHaveText("Saved.");
  await expect(row.getByText("changed", { exact: true })).toBeVisible();

  await page.goto("/en");
  await expect(page.getByText(override)).toBeVisible();
  await page.goto("/fr");
  await expect(page.getByText("Nouvelles, événements et messages de notre organisation.")).toBeVisible();
  await expect(page.getByText(override)).toHaveCount(0);

  await page.goto(`/en/manage/i18n?q=${key}`);
  await row.getByLabel("English").fill(original);
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("status")).toHaveText("Saved.");
  await page.goto("/en");
  await expect(page.getByText(original)).toBeVisible();
});

test("creates a member, who signs in and cannot open any management page", async ({ page, browser, baseURL }) => {
  const member = { name: "Newcomer Member", email: uniqueEmail("member"), password: "member-pass-1234" };
  await signIn(page, "fr", superuser());
  await createMember(page, member);
  await page.goto(`/fr/manage/users?q=${encodeURIComponent(member.email)}`);
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: member.email }) });
  await expect(row.getByRole("cell", { name: "Membre", exact: true })).toBeVisible();
  await expect(row.getByRole("cell", { name: "Actif", exact: true })).toBeVisible();

  const session = await newSession(browser, baseURL);
  const memberPage = session.page;
  await signIn(memberPage, "fr", member);
  await expect(memberPage).toHaveURL(/\/fr$/);
  const header = memberPage.getByRole("navigation", { name: "Navigation principale" });
  await expect(header.getByRole("button", { name: "Se déconnecter" })).toBeVisible();
  await expect(header.getByRole("link", { name: "Gérer" })).toHaveCount(0);

  for (const locale of ["fr", "en"] as const) {
    for (const path of ["/manage", "/manage/users", "/manage/users/new", "/manage/sites", "/manage/sites/new", "/manage/i18n"]) {
      const response = await memberPage.goto(`/${locale}${path}`);
      // Signed in without the role: the forbidden page, with a 403, at the address asked for; never the screen.
      expect(response?.status(), `${locale}${path}`).toBe(403);
      await expect(memberPage, `${locale}${path}`).toHaveURL(new RegExp(`/${locale}${path}$`));
      await expect(memberPage.getByRole("heading", { level: 1 })).toHaveText(text[locale].forbidden);
      // Its title too: not the refused page's (read first by a screen reader, kept in the history).
      await expect(memberPage, `${locale}${path}`).toHaveTitle(new RegExp(`^${text[locale].forbidden}( · |$)`));
      await expect(memberPage.getByRole("navigation", { name: /^(Menu de gestion|Management menu)$/ })).toHaveCount(0);
    }
  }
  await session.context.close();
});
