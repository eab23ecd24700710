import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { smsInboundParts, smsOptOuts, smsReplies, type Site } from "@/db/schema";
import { env } from "@/lib/env";
import { REPEAT_WINDOW_MINUTES } from "@/lib/sms/keep-reply";
import { addOptOutByHand, removeOptOut } from "@/lib/sms/opt-out-list";
import { closeSmsTransports, listenForSmsReplies } from "@/lib/sms/resolve";
import { startSmsc, type SmscHarness } from "../helpers/smsc";
import { makeSite } from "../helpers/factories";
import { until } from "../helpers/wait";

/** What the SMSC hears back when a reply could not be stored: "temporary error, deliver it again". */
const ESME_RX_T_APPN = 0x64;

let smsc: SmscHarness;
let site: Site;
const stored = (phone: string) =>
  db.select({ text: smsReplies.text, action: smsReplies.action }).from(smsReplies).where(and(eq(smsReplies.siteId, site.id), eq(smsReplies.phone, phone))).orderBy(asc(smsReplies.id));
const optedOut = async (phone: string) => (await db.select().from(smsOptOuts).where(and(eq(smsOptOuts.siteId, site.id), eq(smsOptOuts.phone, phone)))).length > 0;

beforeAll(async () => {
  smsc = await startSmsc();
  site = await makeSite({ domain: "redelivery.example.org", smsUrl: smsc.url({ source: "Org" }), defaultCountry: "FR" });
  await listenForSmsReplies([site.id]);
});
afterAll(async () => {
  await closeSmsTransports();
  await smsc.close();
});

/**
 * The database goes away as the reply from `phone` is being stored: that insert fails, and so
 * does every later change to waiting parts until `end()` brings it back (a sequence, which no
 * rollback undoes, marks the moment), as when the connection drops or the process dies there.
 */
async function outageAtReplyFrom(phone: string) {
  await db.execute(sql`create sequence outage_began`);
  await db.execute(sql`create function outage_begins() returns trigger language plpgsql as $$ begin perform nextval('outage_began'); raise exception 'connection lost'; end $$`);
  await db.execute(sql`create function outage_goes_on() returns trigger language plpgsql as $$ begin if (select is_called from outage_began) then raise exception 'connection lost'; end if; return new; end $$`);
  await db.execute(sql.raw(`create trigger outage_begins before insert on sms_replies for each row when (new.phone = '${phone}') execute function outage_begins()`));
  await db.execute(sql`create trigger outage_goes_on before update on sms_inbound_parts for each row execute function outage_goes_on()`);
  return async () => {
    await db.execute(sql`drop trigger outage_goes_on on sms_inbound_parts`);
    await db.execute(sql`drop trigger outage_begins on sms_replies`);
    await db.execute(sql`drop function outage_goes_on()`);
    await db.execute(sql`drop function outage_begins()`);
    await db.execute(sql`drop sequence outage_began`);
  };
}

describe("a long SMS whose storing fails after its parts were joined", () => {
  it("is stored whole, with its STOP, once the SMSC delivers the last part again", async () => {
    const phone = "+33612349001";
    const part = (seq: number, text: string) => smsc.sendInbound(phone, text, { udh: { ref: 31, total: 2, seq }, to: "Org" });
    expect(await part(1, "STOP ")).toBe(0);
    const end = await outageAtReplyFrom(phone);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      expect(await part(2, "SMS")).toBe(ESME_RX_T_APPN);
    } finally {
      warn.mockRestore();
      await end();
    }
    // Nothing of it counted: neither the reply nor its opt-out, and its parts still wait.
    expect(await stored(phone)).toEqual([]);
    expect(await optedOut(phone)).toBe(false);
    expect(await db.select({ seq: smsInboundParts.seq }).from(smsInboundParts).where(and(eq(smsInboundParts.sender, phone), isNull(smsInboundParts.joinedAt)))).toEqual([{ seq: 1 }]);

    expect(await part(2, "SMS")).toBe(0);
    expect(await stored(phone)).toEqual([{ text: "STOP SMS", action: "opt_out" }]);
    expect(await optedOut(phone)).toBe(true);
    expect(await part(2, "SMS")).toBe(0); // once more (our answer lost): nothing more
    expect(await stored(phone)).toHaveLength(1);
  });
});

describe("a single-part SMS the SMSC delivers twice", () => {
  it("is stored once, and its STOP done once", async () => {
    const phone = "+33612349101";
    expect(await smsc.sendInbound(phone, "Is the hall open on Sunday?", { to: "Org" })).toBe(0);
    expect(await smsc.sendInbound(phone, "Is the hall open on Sunday?", { to: "Org" })).toBe(0);
    expect(await stored(phone)).toEqual([{ text: "Is the hall open on Sunday?", action: null }]);
    expect(await smsc.sendInbound(phone, "Stop", { to: "Org" })).toBe(0);
    expect(await smsc.sendInbound(phone, "Stop", { to: "Org" })).toBe(0);
    expect(await stored(phone)).toEqual([
      { text: "Is the hall open on Sunday?", action: null },
      { text: "Stop", action: "opt_out" },
    ]);
    expect(await optedOut(phone)).toBe(true);
  });

  // PGlite runs one transaction at a time: copies handled at the same moment need the server.
  if (env.DATABASE_URL) {
    it("two copies handled at the same moment (two sessions, two processes) store one", async () => {
      const phone = "+33612349102";
      // Both copies wait behind a lock on sites, the first table they read, then go on together.
      let holding!: () => void, release!: () => void;
      const held = new Promise<void>((r) => (holding = r));
      const holder = db.transaction(async (tx) => {
        await tx.execute(sql`lock table sites in access exclusive mode`);
        holding();
        await new Promise<void>((r) => (release = r));
      });
      await held;
      const copies = Promise.all([smsc.sendInbound(phone, "And on Monday?", { to: "Org" }), smsc.sendInbound(phone, "And on Monday?", { to: "Org" })]);
      await until("both copies to wait for the lock", async () => {
        const [{ n }] = rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`));
        return n >= 2;
      });
      release();
      await holder;
      expect(await copies).toEqual([0, 0]);
      expect(await stored(phone)).toEqual([{ text: "And on Monday?", action: null }]);
    });
  }

  it("the same text after another message, or after the window, is a new message: STOP, START, STOP leaves the number out", async () => {
    const phone = "+33612349201";
    for (const text of ["STOP", "START", "STOP"]) expect(await smsc.sendInbound(phone, text, { to: "Org" })).toBe(0);
    expect(await stored(phone)).toEqual([
      { text: "STOP", action: "opt_out" },
      { text: "START", action: "opt_in" },
      { text: "STOP", action: "opt_out" },
    ]);
    expect(await optedOut(phone)).toBe(true);

    await db.update(smsReplies).set({ receivedAt: sql`now() - make_interval(mins => ${REPEAT_WINDOW_MINUTES + 1})` }).where(eq(smsReplies.phone, phone));
    expect(await smsc.sendInbound(phone, "STOP", { to: "Org" })).toBe(0);
    expect(await stored(phone)).toHaveLength(4);
  });

  it("a STOP sent again after an administrator took the first one back is a new STOP, and a START after the number was put out again a new START", async () => {
    const phone = "+33612349401";
    expect(await smsc.sendInbound(phone, "STOP", { to: "Org" })).toBe(0);
    expect(await removeOptOut(site.id, phone)).toBe(true);
    expect(await smsc.sendInbound(phone, "STOP", { to: "Org" })).toBe(0);
    expect(await optedOut(phone)).toBe(true);
    expect(await stored(phone)).toEqual([
      { text: "STOP", action: "opt_out" },
      { text: "STOP", action: "opt_out" },
    ]);
    // Still in force: a copy of it delivered again does nothing more.
    expect(await smsc.sendInbound(phone, "STOP", { to: "Org" })).toBe(0);
    expect(await stored(phone)).toHaveLength(2);

    expect(await smsc.sendInbound(phone, "START", { to: "Org" })).toBe(0);
    expect(await optedOut(phone)).toBe(false);
    await addOptOutByHand(site.id, phone);
    expect(await smsc.sendInbound(phone, "START", { to: "Org" })).toBe(0);
    expect(await optedOut(phone)).toBe(false);
    expect((await stored(phone)).map((r) => r.action)).toEqual(["opt_out", "opt_out", "opt_in", "opt_in"]);
  });

  it("written to another number, or from another sender, it is another message", async () => {
    await smsc.sendInbound("+33612349301", "Yes", { to: "Org" });
    await smsc.sendInbound("+33612349301", "Yes", { to: "36000" });
    await smsc.sendInbound("+33612349302", "Yes", { to: "Org" });
    expect(await stored("+33612349301")).toHaveLength(2);
    expect(await stored("+33612349302")).toHaveLength(1);
  });
});
