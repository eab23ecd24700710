import { expect, main, signIn, superuser, test } from "./support";

// A phone's viewport: the management menu folds into one line, and lists do not spill sideways.
test.use({ viewport: { width: 390, height: 844 } });

test("on a phone the management menu is one closed line, and the SMS replies fit the screen", async ({ page }) => {
  await signIn(page, "en", superuser());
  await page.goto("/en/manage/sms-replies");
  const menu = page.getByText("Management menu · SMS replies");
  await expect(menu).toBeVisible();
  // The page itself starts on the first screen, not under the whole menu.
  const heading = main(page).getByRole("heading", { level: 1, name: "SMS replies" });
  expect((await heading.boundingBox())!.y).toBeLessThan(400);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await menu.click();
  await page.getByRole("navigation", { name: "Management menu" }).getByRole("link", { name: "Queue" }).click();
  await expect(page).toHaveURL(/\/en\/manage\/queue$/);
  // Followed from the open menu, the new page shows it closed again.
  await expect(page.getByText("Management menu · Queue")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Management menu" })).toBeHidden();
});
