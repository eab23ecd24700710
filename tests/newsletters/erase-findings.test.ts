import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { subscriptions, type Site, type User } from "@/db/schema";
import { eraseFindingsAction, eraseSubscriberAction } from "@/app/[locale]/manage/subscriptions/actions";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run } from "../helpers/actions";

// The erase dialog says what the site holds for an address before asking: one with no
// subscription (often a typo) was put on the do-not-contact list with no word until afterwards.

let site: Site;
let other: Site;
let admin: User;
let member: User;

beforeAll(async () => {
  site = await makeSite({ domain: "erase-findings.example.org" });
  other = await makeSite({ domain: "erase-findings-other.example.org" });
  [admin, member] = await Promise.all([makeUser(site.id, "admin"), makeUser(site.id, "member")]);
  await db.insert(subscriptions).values([
    { siteId: site.id, groupId: 1, email: "ann@example.org", status: "confirmed", source: "screen" },
    { siteId: site.id, groupId: 2, email: "ann@example.org", status: "unsubscribed", source: "signup", unsubscribedAt: new Date() },
    { siteId: other.id, groupId: 1, email: "bob@example.org", status: "confirmed", source: "screen" },
  ]);
});

const findings = async (email: string) => (expectSuccess(await run(eraseFindingsAction, { email })) as { data: unknown }).data;

describe("what erasing an address would find", () => {
  it("counts its subscriptions on this site, every group and status; another site's are not this one's", async () => {
    actAs(admin.id, site.domain);
    expect(await findings(" Ann@Example.org ")).toEqual({ subscriptions: 2, erased: false });
    expect(await findings("bob@example.org")).toEqual({ subscriptions: 0, erased: false });
    expect(await findings("personne@nulle.part")).toEqual({ subscriptions: 0, erased: false });
  });

  it("says an address erased before, which erasing anyway still records", async () => {
    actAs(admin.id, site.domain);
    expect(expectSuccess(await run(eraseSubscriberAction, { email: "personne@nulle.part" }))).toMatchObject({ data: { subscriptions: 0 } });
    expect(await findings("personne@nulle.part")).toEqual({ subscriptions: 0, erased: true });
  });

  it("is asked only by an administrator, about an address", async () => {
    actAs(member.id, site.domain);
    expectFailure(await run(eraseFindingsAction, { email: "ann@example.org" }), "errors.forbidden");
    actAs(admin.id, site.domain);
    expect(expectFailure(await run(eraseFindingsAction, { email: "ann@" }), "errors.checkFields").fieldErrors?.email.key).toBe("errors.email");
  });
});
