import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { addSubscribers } from "@/lib/newsletters/subscriptions/add";
import { setSubscriptionPhone } from "@/lib/newsletters/subscriptions/set-phone";
import { makeGroups, makeSite } from "../helpers/factories";

const confirmed = { status: "confirmed" as const, source: "screen" as const, consentText: "test", locale: "fr" as const };
const phoneIn = async (siteId: number, email: string) =>
  (await db.select({ group: subscriptions.groupId, phone: subscriptions.phone }).from(subscriptions).where(and(eq(subscriptions.siteId, siteId), eq(subscriptions.email, email))).orderBy(subscriptions.groupId)).map((r) => [r.group, r.phone]);

describe("a subscriber's mobile number is the person's, in every group of the site", () => {
  it("changing it from one group changes it in the others, so a send to several groups never reaches the old number", async () => {
    const site = await makeSite();
    await makeGroups(site.id, 1, 2);
    await addSubscribers(site.id, 1, [{ email: "ann@example.org", name: "Ann", phone: "+33611111111" }], confirmed);
    await addSubscribers(site.id, 2, [{ email: "ann@example.org", name: "Ann" }], confirmed);
    expect(await phoneIn(site.id, "ann@example.org")).toEqual([[1, "+33611111111"], [2, "+33611111111"]]);

    const [row] = await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.groupId, 2)));
    expect(await setSubscriptionPhone(site.id, 2, row.id, "+33622222222")).toEqual({ email: "ann@example.org" });
    expect(await phoneIn(site.id, "ann@example.org")).toEqual([[1, "+33622222222"], [2, "+33622222222"]]);

    // "Add one" with a new number in group 1 updates group 2 as well; another site is untouched.
    const other = await makeSite();
    await makeGroups(other.id, 1);
    await addSubscribers(other.id, 1, [{ email: "ann@example.org", name: "Ann", phone: "+33699999999" }], confirmed);
    await addSubscribers(site.id, 1, [{ email: "ann@example.org", name: "Ann", phone: "+33633333333" }], confirmed);
    expect(await phoneIn(site.id, "ann@example.org")).toEqual([[1, "+33633333333"], [2, "+33633333333"]]);
    expect(await phoneIn(other.id, "ann@example.org")).toEqual([[1, "+33699999999"]]);
  });
});
