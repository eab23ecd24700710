import { createMember, expect, main, newSession, signIn, superuser, test, uniqueEmail } from "./support";

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
  // Their own row still opens.
  await page.goto("/fr/manage/users?role=admin");
  await expect(main(page).getByRole("link", { name: admin.email })).toHaveAttribute("href", `/fr/manage/users/${adminId}`);
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
