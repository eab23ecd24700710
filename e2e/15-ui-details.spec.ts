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
