import { createGroup, createMember, expect, main, newSession, signIn, superuser, test, text, uniqueEmail } from "./support";

// Screen details found by the UI audit: what each role is offered, and which message belongs to
// which form. One admin, created here, serves every test.
test.describe.configure({ mode: "serial" });

const admin = { name: "Ada Admin", email: uniqueEmail("ui-admin"), password: "admin-pass-123" };
let adminId = 0;

test("a superuser creates the admin these checks sign in as", async ({ page }) => {
  await signIn(page, "fr", superuser());
  adminId = await createMember(page, admin, "admin");
});

test("an admin sees the superusers in the list, marked, without a link to a page they cannot open", async ({ browser, baseURL }) => {
  const { context, page } = await newSession(browser, baseURL);
  await signIn(page, "fr", admin);
  await page.goto("/fr/manage/users?role=superuser");
  const row = main(page).getByRole("row").filter({ hasText: superuser().email });
  await expect(row).toContainText("Superutilisateur");
  await expect(row.getByRole("link")).toHaveCount(0);
  // Typed by hand, the superuser's page (the first account, made at the first start) is refused, not missing.
  const refused = await page.goto("/fr/manage/users/1");
  expect(refused?.status()).toBe(403);
  await expect(main(page).getByRole("heading", { level: 1 })).toHaveText(text.fr.forbidden);
  // Their own row still opens.
  await page.goto("/fr/manage/users?role=admin");
  await expect(main(page).getByRole("link", { name: admin.email })).toHaveAttribute("href", `/fr/manage/users/${adminId}`);
  // A screen for superusers only: the translated forbidden page, as a 403 at the same address.
  const response = await page.goto("/en/manage/sites");
  expect(response?.status()).toBe(403);
  await expect(page).toHaveURL(/\/en\/manage\/sites$/);
  await expect(main(page).getByRole("heading", { level: 1 })).toHaveText(text.en.forbidden);
  await expect(page).toHaveTitle(new RegExp(`^${text.en.forbidden}( · |$)`));
  await context.close();
});

test("on their own account an admin is not offered the disable checkbox, and is told why", async ({ page, browser, baseURL }) => {
  const own = await newSession(browser, baseURL);
  await signIn(own.page, "fr", admin);
  await own.page.goto(`/fr/manage/users/${adminId}`);
  const form = main(own.page);
  await expect(form.getByText("C’est votre propre compte : vous ne pouvez ni le désactiver ni changer son rôle")).toBeVisible();
  await expect(form.getByLabel("Compte désactivé (ne peut plus se connecter)")).toHaveCount(0);
  await expect(form.getByLabel("Rôle", { exact: true })).toHaveCount(0);
  // Saving the rest still works.
  await form.getByLabel("Nom", { exact: true }).fill("Ada A. Admin");
  await form.getByRole("button", { name: "Enregistrer" }).click();
  await expect(form.getByRole("status")).toHaveText("Utilisateur enregistré.");
  await own.context.close();

  // A superuser on the admin's account has both.
  await signIn(page, "fr", superuser());
  await page.goto(`/fr/manage/users/${adminId}`);
  await expect(main(page).getByLabel("Compte désactivé (ne peut plus se connecter)")).toBeVisible();
  await expect(main(page).getByLabel("Rôle", { exact: true })).toHaveValue("admin");
});

test("on a group's page, an old error of one add form goes once the other form has answered", async ({ page }) => {
  await signIn(page, "en", superuser());
  // A group of its own, at whatever number is free (group 15 may belong to another spec).
  const group = await createGroup(page, `Details group ${Date.now().toString(36)}`);

  await page.goto(group.replace(/^\/en\//, "/fr/"));
  const one = main(page).locator("form", { has: page.getByRole("heading", { name: "Ajouter une adresse" }) });
  const paste = main(page).locator("form", { has: page.getByRole("heading", { name: "Coller des adresses" }) });
  const ann = uniqueEmail("ann");
  await one.getByLabel("Adresse email", { exact: true }).fill(ann);
  await one.getByRole("button", { name: "Ajouter", exact: true }).click();
  await expect(one.getByRole("status")).toHaveText(`${ann} a été ajoutée au groupe.`);
  await one.getByLabel("Adresse email", { exact: true }).fill(ann);
  await one.getByRole("button", { name: "Ajouter", exact: true }).click();
  await expect(one.getByRole("alert")).toHaveText(`${ann} est déjà dans ce groupe.`);

  await paste.getByLabel("Adresses", { exact: true }).fill(uniqueEmail("bob"));
  await paste.getByRole("button", { name: "Ajouter ces adresses" }).click();
  await expect(paste.getByRole("status")).toContainText("Ajoutées : 1.");
  await expect(one.getByText("est déjà dans ce groupe")).toHaveCount(0); // the alert and the field's error
  await expect(one.getByRole("status")).toHaveCount(0);

  // Used again, the first form shows its own answer, and the paste report goes.
  await one.getByLabel("Adresse email", { exact: true }).fill(ann);
  await one.getByRole("button", { name: "Ajouter", exact: true }).click();
  await expect(one.getByRole("alert")).toHaveText(`${ann} est déjà dans ce groupe.`);
  await expect(paste.getByRole("status")).toHaveCount(0);
});
