import { readFile } from "node:fs/promises";
import { createGroup, expect, main, signIn, superuser, test } from "./support";

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
  // From the English screen: English headers and labels, dates as ISO 8601.
  const [header, ...lines] = csv.replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);
  expect(header).toBe("Number,Keyword,Origin,Received at");
  expect(lines).toEqual([expect.stringMatching(new RegExp(`^'\\+336${digits},,Added here,\\d{4}-\\d\\d-\\d\\dT`))]);

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

test("a long group pages forward and back: Next, then Previous shows the first rows again", async ({ page }) => {
  await signIn(page, "en", superuser());
  // A group of its own (the next free number), so no other test's group grows past one page.
  // createGroup: run alone, on a database with no group yet, the form is already open.
  const here = await createGroup(page, "Paged list");
  const stamp = Date.now().toString(36);
  const paste = main(page).getByRole("form", { name: "Paste addresses" });
  await paste.getByLabel("Addresses").fill(Array.from({ length: 55 }, (_, i) => `paged-${i}-${stamp}@e2e.example.org`).join("\n"));
  await paste.getByRole("button", { name: "Add these addresses" }).click();
  await expect(paste.getByRole("status")).toContainText("Added: 55.");

  // 55 rows at 50 a page: the group's counts already say how many pages there are.
  await page.goto(here);
  const pager = main(page).getByRole("navigation", { name: "Pages" });
  const rows = () => main(page).getByRole("row").allInnerTexts();
  await expect(pager).toContainText("Page 1 of 2");
  await expect(pager.getByRole("link", { name: "Previous page" })).toHaveCount(0);
  const firstRows = await rows();
  await pager.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/after=\d+&page=2$/);
  await expect(pager).toContainText("Page 2 of 2");
  await expect(pager.getByRole("link", { name: "Next page" })).toHaveCount(0);
  await expect(main(page).getByRole("row")).toHaveCount(1 + 5);

  await expect(pager.getByRole("link", { name: "Previous page" })).toHaveAttribute("rel", "prev");
  await pager.getByRole("link", { name: "Previous page" }).click();
  await expect(page).toHaveURL(/before=\d+$/);
  await expect(pager).toContainText("Page 1 of 2");
  await expect(pager.getByRole("link", { name: "Previous page" })).toHaveCount(0);
  expect(await rows()).toEqual(firstRows);

  // A tampered page number is only a label: the rows stay those of the cursor.
  const next = new URL((await pager.getByRole("link", { name: "Next page" }).getAttribute("href"))!, page.url());
  await page.goto(`${here}?after=${next.searchParams.get("after")}&page=abc`);
  await expect(main(page).getByRole("row")).toHaveCount(1 + 5);
  await expect(pager).not.toContainText("Page 2");
});
