import { describe, expect, it } from "vitest";
import { addTranslationKeyAction } from "@/app/[locale]/manage/i18n/actions";
import { listGroups } from "@/lib/newsletters/groups";
import { actAs } from "../helpers/request";
import { run } from "../helpers/actions";
import { makeSite, makeUser } from "../helpers/factories";

/**
 * "signup_opt followed by a number creates that subscriber group" (the key's hint). Typed with a
 * leading zero (signup_opt07, as people number things to sort them), the key was stored and read
 * as group 7, whose label was then looked up under signup_opt7: the group's label everywhere
 * (the home page's signup, Subscriptions, templates) was the raw key "signup_opt7", not the text
 * the admin gave. Either the key is refused, or its group shows the label it was given.
 */
describe("a group key typed with a leading zero", () => {
  it("never leaves a group labelled with a raw key", async () => {
    const site = await makeSite({ defaultLocale: "en" });
    const admin = await makeUser(site.id, "admin");
    actAs(admin.id, site.domain);
    const outcome = await run(addTranslationKeyAction, { key: "signup_opt07", fr: "Sept", en: "Seven" });
    const groups = await listGroups(site, "en");
    if ("ok" in outcome && outcome.ok) expect(groups.find((g) => g.id === 7)?.label).toBe("Seven");
    for (const group of groups) expect(group.label, `group ${group.id}`).not.toMatch(/^signup_opt/);
  });
});
