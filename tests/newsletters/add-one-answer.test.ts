import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { subscriptions, type Site, type User } from "@/db/schema";
import { addSubscriberAction, eraseSubscriberAction, moveSubscriptionsAction, pasteSubscribersAction } from "@/app/[locale]/manage/subscriptions/actions";
import { previewImportAction } from "@/app/[locale]/manage/subscriptions/[group]/import/actions";
import { createGroup } from "@/lib/newsletters/groups";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run } from "../helpers/actions";

// "Add one address" answers every field's problem at once: an administrator who typed a bad
// address and a bad number learnt of the number only after correcting the address.

let site: Site;
let admin: User;
let news: number;
let offers: number;
const ERASED = "+33612349901";

const rowOf = async (email: string) =>
  (await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.groupId, news), eq(subscriptions.email, email))))[0];

beforeAll(async () => {
  site = await makeSite({ domain: "add-one-answer.example.org", defaultCountry: "FR" });
  admin = await makeUser(site.id, "admin");
  news = await createGroup(site, { fr: "Lettre", en: "Letter" });
  offers = await createGroup(site, { fr: "Offres", en: "Offers" });
  await db.insert(subscriptions).values([
    { siteId: site.id, groupId: news, email: "gone@example.org", phone: ERASED, status: "confirmed", source: "screen" },
    { siteId: site.id, groupId: news, email: "left@example.org", status: "unsubscribed", source: "signup", unsubscribedAt: new Date() },
    { siteId: site.id, groupId: news, email: "kim@example.org", phone: "+33612349902", status: "confirmed", source: "screen" },
  ]);
  actAs(admin.id, site.domain);
  expectSuccess(await run(eraseSubscriberAction, { email: "gone@example.org" }));
});

describe("adding one address", () => {
  it("says an invalid address and an invalid number in the same answer, keeping what was typed", async () => {
    actAs(admin.id, site.domain);
    const failed = expectFailure(await run(addSubscriberAction, { group: String(news), email: "bad@", name: "Bea", phone: "12" }), "errors.checkFields");
    expect(failed.fieldErrors).toEqual({ email: { key: "errors.email" }, phone: { key: "errors.invalidPhone", values: { number: "12", read: "national", country: "France", other: "+32" } } });
    expect(failed.values).toMatchObject({ email: "bad@", name: "Bea", phone: "12" });
    // A name on two lines and a bad number: both too.
    const twoLines = expectFailure(await run(addSubscriberAction, { group: String(news), email: "bea@example.org", name: "Bea\nBcc: x@example.org", phone: "12" }), "errors.checkFields");
    expect(Object.keys(twoLines.fieldErrors ?? {}).sort()).toEqual(["name", "phone"]);
    // The number alone, as before.
    const numberOnly = expectFailure(await run(addSubscriberAction, { group: String(news), email: "bea@example.org", phone: "12" }), "errors.checkFields");
    expect(numberOnly.fieldErrors).toEqual({ phone: { key: "errors.invalidPhone", values: { number: "12", read: "national", country: "France", other: "+32" } } });
    expect(await rowOf("bea@example.org")).toBeUndefined();
    // Valid, the number is read in the site's country.
    expect(expectSuccess(await run(addSubscriberAction, { group: String(news), email: "bea@example.org", phone: "06 12 34 99 03" }))).toMatchObject({ data: { outcome: "added" } });
    expect((await rowOf("bea@example.org")).phone).toBe("+33612349903");
  });

  it("says an erased person's number and a refused address together", async () => {
    actAs(admin.id, site.domain);
    // The address is refused first (it left the group): the number is said too.
    const left = expectFailure(await run(addSubscriberAction, { group: String(news), email: "left@example.org", phone: ERASED }), "errors.unsubscribedAddress");
    expect(left.fieldErrors).toEqual({
      email: { key: "errors.unsubscribedAddress", values: { email: "left@example.org" } },
      phone: { key: "errors.erasedPhone" },
    });
    // An erased address with its own (erased) number: both too.
    const erased = expectFailure(await run(addSubscriberAction, { group: String(news), email: "gone@example.org", phone: ERASED }), "errors.erasedAddress");
    expect(erased.fieldErrors).toEqual({
      email: { key: "errors.erasedAddress", values: { email: "gone@example.org" } },
      phone: { key: "errors.erasedPhone" },
    });
    // The number refused first (the address is already in the group): the address has nothing to say.
    const kim = expectFailure(await run(addSubscriberAction, { group: String(news), email: "kim@example.org", phone: ERASED }), "errors.erasedPhone");
    expect(kim.fieldErrors).toEqual({ phone: { key: "errors.erasedPhone" } });
    // An address that may be added: only the number is refused; a good number: only the address.
    const numberOnly = expectFailure(await run(addSubscriberAction, { group: String(news), email: "new@example.org", phone: ERASED }), "errors.erasedPhone");
    expect(numberOnly.fieldErrors).toEqual({ phone: { key: "errors.erasedPhone" } });
    const addressOnly = expectFailure(await run(addSubscriberAction, { group: String(news), email: "left@example.org", phone: "06 12 34 99 05" }), "errors.unsubscribedAddress");
    expect(Object.keys(addressOnly.fieldErrors ?? {})).toEqual(["email"]);
    expect(await rowOf("new@example.org")).toBeUndefined();
  });
});

describe("an address already in the group, given a number", () => {
  it("is said already there, its number unchanged, when the number is the one it has", async () => {
    actAs(admin.id, site.domain);
    const same = expectFailure(await run(addSubscriberAction, { group: String(news), email: "kim@example.org", phone: "06 12 34 99 02" }), "errors.alreadySubscribedSamePhone");
    expect(same.fieldErrors?.email).toEqual({ key: "errors.alreadySubscribedSamePhone", values: { email: "kim@example.org", phone: "+33 6 12 34 99 02" } });
    // Another number is set, and said so.
    expect(expectSuccess(await run(addSubscriberAction, { group: String(news), email: "kim@example.org", phone: "06 12 34 99 04" }))).toMatchObject({ data: { outcome: "phone", phone: "+33 6 12 34 99 04" } });
    expect((await rowOf("kim@example.org")).phone).toBe("+33612349904");
  });
});

describe("pasting or importing an address refused for itself, with an erased person's number", () => {
  // Reported as the number's refusal, the row was said to come once pasted again without the
  // number; it then came back refused for its address.
  it("is reported refused for its address, which no number changes", async () => {
    actAs(admin.id, site.domain);
    const pasted = expectSuccess(await run(pasteSubscribersAction, { group: String(news), addresses: `gone@example.org ${ERASED}\nnew2@example.org ${ERASED}` }));
    expect(pasted).toMatchObject({ data: { refused: ["gone@example.org"], refusedNumbers: ["new2@example.org"] } });
    type Row = { email: string; outcome: string | null };
    const preview = (expectSuccess(await run(previewImportAction, { group: String(news), csv: `email;mobile\ngone@example.org;${ERASED}\nleft@example.org;${ERASED}\nnew3@example.org;${ERASED}`, status: "confirmed", locale: "en" })) as { data: { rows: Row[] } }).data;
    expect(preview.rows.map((r) => [r.email, r.outcome])).toEqual([
      ["gone@example.org", "erased"],
      ["left@example.org", "unsubscribed"],
      ["new3@example.org", "erasedPhone"],
    ]);
  });
});

describe("moving a selection", () => {
  it("says an empty selection and the same group at once", async () => {
    actAs(admin.id, site.domain);
    const failed = expectFailure(await run(moveSubscriptionsAction, { group: String(offers), to: String(offers) }), "errors.checkFields");
    expect(failed.fieldErrors).toEqual({ ids: { key: "errors.selectSubscribers" }, to: { key: "errors.sameGroup" } });
  });
});
