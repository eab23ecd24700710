import { describe, expect, it } from "vitest";
import { addTranslationKeyAction } from "@/app/[locale]/manage/i18n/actions";
import { parseSignupInput, signupSection } from "@/lib/newsletters/signup-request";
import { actAs } from "../helpers/request";
import { run } from "../helpers/actions";
import { makeSite, makeUser } from "../helpers/factories";

/**
 * signup_opt0 was accepted as a group key: group 0 was then offered (alone, preselected) by the
 * home page's "Receive our news" form, whose signup refuses group 0 (ids start at 1), so every
 * visitor who subscribed was told to choose a group, and nobody could ever join it.
 */
describe("a group key numbered 0", () => {
  it("never offers a group the signup then refuses", async () => {
    const site = await makeSite({ defaultLocale: "en" });
    const admin = await makeUser(site.id, "admin");
    actAs(admin.id, site.domain);
    await run(addTranslationKeyAction, { key: "signup_opt0", fr: "Nouvelles", en: "News" });
    const section = await signupSection(site, "en");
    for (const group of section?.groups ?? []) {
      const parsed = parseSignupInput({ email: "reader@example.org", groups: String(group.id) });
      expect(parsed.ok, `group ${group.id} "${group.label}" is offered but refused`).toBe(true);
    }
  });
});
