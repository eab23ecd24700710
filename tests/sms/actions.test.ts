import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { queue, sites, type Site, type User } from "@/db/schema";
import { sendTestSmsAction } from "@/app/[locale]/manage/queue/actions";
import { saveSiteAction } from "@/app/[locale]/manage/sites/actions";
import { keepSecret, maskSmsUrl } from "@/lib/sms/url";
import { openSecret, sealSecret } from "@/lib/secrets";
import { maskedSmsUrl, sealPlainSmsUrls } from "@/lib/sites/manage";
import { closeSmsTransports, smsForSite } from "@/lib/sms/resolve";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, run } from "../helpers/actions";

let site: Site;
let admin: User, superuser: User, member: User;
beforeAll(async () => {
  site = await makeSite({ domain: "sms.example.org" });
  [admin, superuser, member] = await Promise.all([makeUser(site.id, "admin"), makeUser(site.id, "superuser"), makeUser(site.id, "member")]);
});
// Saving a site binds its SMPP account to hear receipts (listenForSmsReplies): end those sessions.
afterAll(() => closeSmsTransports());
const rowsOf = () => db.select().from(queue).where(eq(queue.siteId, site.id));

describe("Send a test SMS (queue screen)", () => {
  it("queues one SMS in E.164 from the site's sender, read in the site's country", async () => {
    await db.update(sites).set({ defaultCountry: "BE", smsSender: "Chora Test" }).where(eq(sites.id, site.id));
    actAs(admin.id, site.domain);
    const result = await run(sendTestSmsAction, { to: "0470 12 34 56", text: "Hello from the test" });
    expect(result).toMatchObject({ ok: true });
    const [row] = await rowsOf();
    expect(row).toMatchObject({ channel: "sms", recipient: "+32470123456", status: "pending" });
  });

  it("refuses an invalid number with a translated error on the field, keeping what was typed and queuing nothing", async () => {
    actAs(admin.id, site.domain);
    const before = (await rowsOf()).length;
    const failure = expectFailure(await run(sendTestSmsAction, { to: "12 34", text: "Kept text" }));
    expect(failure.fieldErrors?.to).toEqual({ key: "errors.invalidPhone", values: { number: "12 34", read: "national", country: "Belgique", other: "+33" } });
    expect(failure.values).toMatchObject({ to: "12 34", text: "Kept text" });
    expect((await rowsOf()).length).toBe(before);
  });

  it("says an invalid number and an empty text in one answer, not one after the other", async () => {
    actAs(admin.id, site.domain);
    const failure = expectFailure(await run(sendTestSmsAction, { to: "12 34", text: "  " }), "errors.checkFields");
    expect(failure.fieldErrors).toEqual({ to: { key: "errors.invalidPhone", values: { number: "12 34", read: "national", country: "Belgique", other: "+33" } }, text: { key: "errors.required" } });
    expect(expectFailure(await run(sendTestSmsAction, { to: " ", text: "x" })).fieldErrors).toEqual({ to: { key: "errors.required" } });
    expect(expectFailure(await run(sendTestSmsAction, { text: "x" })).fieldErrors).toEqual({ to: { key: "errors.required" } });
  });

  it("refuses a member (the action checks the role itself)", async () => {
    actAs(member.id, site.domain);
    expectFailure(await run(sendTestSmsAction, { to: "+33612345678", text: "x" }), "errors.forbidden");
  });
});

describe("a site's SMS settings", () => {
  const base = { domain: "sms.example.org", name: "SMS", defaultLocale: "fr", back: "/en/manage/sites" };
  it("saves a country, a sender (a number written with spaces, stored compact) and an SMPP transport", async () => {
    actAs(superuser.id, site.domain);
    const saved = await run(saveSiteAction, { ...base, id: String(site.id), defaultCountry: "ch", smsSender: "+41 (0)79 123 45 67", smsUrl: "smpp://chora:secret@smsc.example.org:2775" });
    expect(saved).toMatchObject({ ok: true });
    const [s] = await db.select().from(sites).where(eq(sites.id, site.id));
    expect(s).toMatchObject({ defaultCountry: "CH", smsSender: "+41791234567" });
    // Stored encrypted: neither the password nor the URL reads in the database.
    expect(s.smsUrl).toMatch(/^enc:v1:/);
    expect(s.smsUrl).not.toContain("secret");
    expect(openSecret(s.smsUrl)).toBe("smpp://chora:secret@smsc.example.org:2775");
    expect(await run(saveSiteAction, { ...base, id: String(site.id), defaultCountry: "CH", smsSender: "", smsUrl: "" })).toMatchObject({ ok: true });
    expect((await db.select().from(sites).where(eq(sites.id, site.id)))[0].smsUrl).toBeNull();
  });

  it("reads a sender written nationally in the site's country and stores it in E.164; a short code stays as it is", async () => {
    actAs(superuser.id, site.domain);
    for (const [country, typed, stored] of [["FR", "06 12 34 56 78", "+33612345678"], ["FR", "0612345678", "+33612345678"], ["BE", "0470 12 34 56", "+32470123456"], ["FR", "36000", "36000"], ["FR", "Chora 2026", "Chora 2026"], ["DE", "33612345678", "+33612345678"], ["FR", "33612345678", "+33612345678"]]) {
      expect(await run(saveSiteAction, { ...base, id: String(site.id), defaultCountry: country, smsSender: typed }), typed).toMatchObject({ ok: true });
      expect((await db.select().from(sites).where(eq(sites.id, site.id)))[0].smsSender, typed).toBe(stored);
    }
  });

  it("refuses a sender of digits that is no number in the site's country, keeping what was typed", async () => {
    actAs(superuser.id, site.domain);
    for (const typed of ["0612", "061234567890123", "00000000000"]) {
      const failure = expectFailure(await run(saveSiteAction, { ...base, id: String(site.id), defaultCountry: "FR", smsSender: typed }));
      expect(failure.fieldErrors, typed).toMatchObject({ smsSender: { key: "errors.smsSender" } });
      expect(failure.values, typed).toMatchObject({ smsSender: typed });
    }
  });

  it("refuses an unknown country, a too-long sender and an unusable transport URL, field by field", async () => {
    actAs(superuser.id, site.domain);
    const failure = expectFailure(await run(saveSiteAction, { ...base, id: String(site.id), defaultCountry: "XX", smsSender: "A sender far too long", smsUrl: "http://smsc.example.org" }));
    expect(failure.fieldErrors).toMatchObject({ defaultCountry: { key: "errors.country" }, smsSender: { key: "errors.smsSender" }, smsUrl: { key: "errors.smsUrl" } });
    expect(failure.values).toMatchObject({ smsUrl: "http://smsc.example.org" });
  });

  it("never shows the stored secret, and keeps it when the masked URL comes back", async () => {
    actAs(superuser.id, site.domain);
    const secretUrl = "smpp://chora:s3cret%2Fpw@smsc.example.org:2775?source=Org";
    expect(await run(saveSiteAction, { ...base, id: String(site.id), smsUrl: secretUrl })).toMatchObject({ ok: true });
    const masked = maskSmsUrl(secretUrl)!;
    expect(masked).toBe("smpp://chora:********@smsc.example.org:2775?source=Org");
    expect(maskSmsUrl("twilio://AC123:tok3n@api.twilio.com?from=%2B33612345678")).toBe("twilio://AC123:********@api.twilio.com?from=%2B33612345678");
    // The form sends the masked URL back with another sender, then moved to TLS on the same host
    // (its port with it): the same account, the secret is kept.
    const resourced = masked.replace("source=Org", "source=Org2");
    expect(await run(saveSiteAction, { ...base, id: String(site.id), smsUrl: resourced })).toMatchObject({ ok: true });
    const tls = "smpps://chora:********@smsc.example.org:3550?source=Org2";
    expect(await run(saveSiteAction, { ...base, id: String(site.id), smsUrl: tls })).toMatchObject({ ok: true });
    const [stored] = await db.select().from(sites).where(eq(sites.id, site.id));
    expect(openSecret(stored.smsUrl)).toBe("smpps://chora:s3cret%2Fpw@smsc.example.org:3550?source=Org2");
    expect(maskedSmsUrl(stored)).toBe("smpps://chora:********@smsc.example.org:3550?source=Org2");
    // Another host, login, port or kind of account, or back to clear text: the stored password is
    // never sent there; the form asks for it, keeps what was typed, and nothing is saved.
    for (const elsewhere of [
      "smpps://chora:********@smsc.attacker.example:3550?source=Org2",
      "smpps://other:********@smsc.example.org:3550?source=Org2",
      "smpps://chora:********@smsc.example.org:4000?source=Org2",
      "smpp://chora:********@smsc.example.org:3550?source=Org2",
      "twilio://AC0123456789:********@api.twilio.com?from=%2B33612345678",
    ]) {
      const refused = expectFailure(await run(saveSiteAction, { ...base, id: String(site.id), smsUrl: elsewhere }));
      expect(refused.fieldErrors?.smsUrl).toEqual({ key: "errors.smsUrlSecretAgain" });
      expect(refused.values).toMatchObject({ smsUrl: elsewhere });
      expect(openSecret((await db.select().from(sites).where(eq(sites.id, site.id)))[0].smsUrl)).toBe("smpps://chora:s3cret%2Fpw@smsc.example.org:3550?source=Org2");
    }
    // Case in the host, a default port written out and percent-encoding in the login do not make another account.
    const sameAccount = "smpps://%63hora:********@SMSC.example.org?source=Org";
    expect(await run(saveSiteAction, { ...base, id: String(site.id), smsUrl: sameAccount })).toMatchObject({ ok: true });
    expect(openSecret((await db.select().from(sites).where(eq(sites.id, site.id)))[0].smsUrl)).toBe("smpps://%63hora:s3cret%2Fpw@SMSC.example.org?source=Org");
    // A mask with no stored secret behind it (a new site) is refused, not saved as a password.
    const created = expectFailure(await run(saveSiteAction, { ...base, domain: "other-sms.example.org", smsUrl: masked }));
    expect(created.fieldErrors?.smsUrl).toEqual({ key: "errors.smsUrl" });
  });
});

describe("stored SMS credentials", () => {
  it("are sealed with AES-GCM: each value differs, a tampered one opens to nothing, a clear one from before is sealed at start", async () => {
    const url = "twilio://AC1:tok3n@api.twilio.com?from=%2B33612345678";
    const a = sealSecret(url);
    expect(a).not.toBe(sealSecret(url)); // a fresh IV each time
    expect(openSecret(a)).toBe(url);
    const [iv, tag, data] = a.slice("enc:v1:".length).split(".");
    const flipped = Buffer.from(data, "base64url");
    flipped[0] ^= 1;
    const tampered = `enc:v1:${iv}.${tag}.${flipped.toString("base64url")}`;
    expect(openSecret(tampered)).toBeNull();
    expect(openSecret(null)).toBeNull();

    const legacy = await makeSite({ domain: "legacy-sms.example.org", smsUrl: url });
    expect(await sealPlainSmsUrls(db)).toBeGreaterThanOrEqual(1);
    const [sealed] = await db.select().from(sites).where(eq(sites.id, legacy.id));
    expect(sealed.smsUrl).toMatch(/^enc:v1:/);
    expect(openSecret(sealed.smsUrl)).toBe(url);
    expect(await sealPlainSmsUrls(db)).toBe(0); // nothing left in clear
  });

  it("a URL this AUTH_SECRET cannot decrypt fails its sends (never falls back) and survives a save of the form", async () => {
    actAs(superuser.id, site.domain);
    const base = { domain: site.domain, name: site.name, defaultLocale: "fr", back: "/en/manage/sites" };
    const foreign = "enc:v1:" + ["AAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAA", "c2VjcmV0"].join("."); // sealed under another key
    const [stale] = await db.update(sites).set({ smsUrl: foreign }).where(eq(sites.id, site.id)).returning();
    expect(maskedSmsUrl(stale)).toBe("********");
    const transport = await smsForSite(site.id);
    await expect(transport.send({ to: "+33612345678", from: "Org", text: "x", siteId: site.id, queueId: 1 })).rejects.toMatchObject({ transient: true, message: expect.stringMatching(/cannot be decrypted/) });
    // Saved as shown (the bare mask): the stored value stays, for the old AUTH_SECRET to read.
    expect(await run(saveSiteAction, { ...base, id: String(site.id), name: "Renamed", smsUrl: "********" })).toMatchObject({ ok: true });
    expect((await db.select().from(sites).where(eq(sites.id, site.id)))[0]).toMatchObject({ name: "Renamed", smsUrl: foreign });
    // Typed again: replaced, and readable.
    expect(await run(saveSiteAction, { ...base, id: String(site.id), smsUrl: "smpp://chora:new@smsc.example.org:2775" })).toMatchObject({ ok: true });
    expect(openSecret((await db.select().from(sites).where(eq(sites.id, site.id)))[0].smsUrl)).toBe("smpp://chora:new@smsc.example.org:2775");
    await closeSmsTransports();
  });
});


describe("a masked secret and the address it goes to", () => {
  it("reads hosts as the URL parser does: two IPv6 addresses are two hosts", () => {
    expect(keepSecret("smpp://u:********@[2001:db8::99]:2775", "smpp://u:SECRET@[2001:db8::1]:2775")).toEqual({ refused: "elsewhere" });
    expect(keepSecret("smpp://u:********@[2001:db8::1]:2775?source=X", "smpp://u:SECRET@[2001:db8::1]:2775")).toEqual({ url: "smpp://u:SECRET@[2001:db8::1]:2775?source=X" });
    expect(keepSecret("smpp://u:********@[2001:db8::1]", "smpp://u:SECRET@[2001:db8::1]:2775")).toEqual({ url: "smpp://u:SECRET@[2001:db8::1]" });
  });
});
