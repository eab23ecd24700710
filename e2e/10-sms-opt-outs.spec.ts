import { readFile } from "node:fs/promises";
import { expect, main, signIn, superuser, test } from "./support";

// The SMS opt-out screen: a number added by hand (after a typo, which is refused and kept as
// typed), found with the number filter as people type it, exported, and taken back. The number is
// unique to this run so an earlier run on the same database does not get in the way.
test("an admin takes a number out of SMS sends by hand, finds it, exports it and takes it back", async ({ page }) => {
  await signIn(page, "en", superuser());
  await page.goto("/en/manage/subscriptions");
  await main(page).getByRole("link", { name: "SMS opt-outs" }).click();
  await expect(main(page).getByRole("heading", { name: "SMS opt-outs", level: 1 })).toBeVisible();

  // 06 12 xx xx xx is a valid French mobile range whatever the six digits (not every 06 range is).
  const digits = `12${String(Date.now() % 1_000_000).padStart(6, "0")}`;
  const typed = `06 ${digits.slice(0, 2)} ${digits.slice(2, 4)} ${digits.slice(4, 6)} ${digits.slice(6)}`;
  const shown = `+33 6 ${digits.slice(0, 2)} ${digits.slice(2, 4)} ${digits.slice(4, 6)} ${digits.slice(6)}`;
  const form = main(page).getByRole("form", { name: "Take a number out of SMS sends" });

  await form.getByLabel("Mobile number").fill(`${typed}x`);
  await form.getByRole("button", { name: "Add to the opt-outs" }).click();
  await expect(form.getByRole("alert")).toHaveText(`${typed}x is not a valid mobile number.`);
  await expect(form.getByLabel("Mobile number")).toHaveValue(`${typed}x`);

  await form.getByLabel("Mobile number").fill(typed);
  await form.getByRole("button", { name: "Add to the opt-outs" }).click();
  await expect(form.getByRole("status")).toHaveText(`${shown} will no longer receive SMS sent to groups.`);
  const row = main(page).getByRole("row").filter({ hasText: shown });
  await expect(row).toContainText("Added here");

  await form.getByLabel("Mobile number").fill(shown);
  await form.getByRole("button", { name: "Add to the opt-outs" }).click();
  await expect(form.getByRole("alert")).toHaveText(`${shown} has already opted out of SMS.`);

  // The filter reads a national start of number in the site's country.
  const search = main(page).getByRole("search", { name: "Filter the opt-outs" });
  await search.getByLabel("Number starts with").fill(typed);
  await search.getByLabel("Origin").selectOption({ label: "Added here" });
  await search.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/source=admin/);
  await expect(main(page).getByRole("row").filter({ hasText: shown })).toBeVisible();
  await expect(main(page).getByText("1 number", { exact: true })).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent("download"), main(page).getByRole("link", { name: "Export these results (CSV)" }).click()]);
  const csv = await readFile((await download.path())!, "utf8");
  expect(csv.split("\r\n").filter(Boolean).slice(1)).toEqual([expect.stringMatching(new RegExp(`^'\\+336${digits},,admin,\\d{4}-`))]);

  await search.getByLabel("Number starts with").fill("+99");
  await search.getByRole("button", { name: "Filter" }).click();
  await expect(main(page).getByText("No opt-out matches these filters.")).toBeVisible();
  await page.goto(`/en/manage/subscriptions/sms-opt-outs?q=${encodeURIComponent(shown)}`);

  await main(page).getByRole("button", { name: `Take back ${shown}` }).click();
  const dialog = page.getByRole("dialog", { name: `Send SMS to ${shown} again?` });
  await dialog.getByRole("button", { name: "Take back" }).click();
  await expect(main(page).getByRole("status").filter({ hasText: "again" })).toHaveText(`${shown} will receive SMS sent to its groups again.`);
  await expect(main(page).getByRole("row").filter({ hasText: shown })).toHaveCount(0);
  await expect(main(page).getByText("No opt-out matches these filters.")).toBeVisible();
});
