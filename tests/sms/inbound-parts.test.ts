import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { smsInboundParts, smsOptOuts, smsReplies, type Site } from "@/db/schema";
import { MISSING_PART, PART_GAP_MINUTES, PART_PATIENCE_MINUTES } from "@/lib/sms/inbound-parts";
import { handleInboundSms } from "@/lib/sms/opt-out";
import { housekeeping } from "@/lib/queue/housekeeping";
import { makeSite } from "../helpers/factories";

// Parts reach handleInboundSms as smpp.ts hands them over; how they come off the wire is
// covered in replies.test.ts. The clock is moved by ageing the waiting parts' received_at.
const url = "smpp://partslogin:pw@127.0.0.1:2775?source=Parts";
let site: Site;
beforeAll(async () => {
  site = await makeSite({ domain: "inbound-parts.example.org", smsUrl: url, defaultCountry: "FR" });
});

const stored = (phone: string) =>
  db.select({ text: smsReplies.text, action: smsReplies.action }).from(smsReplies).where(and(eq(smsReplies.siteId, site.id), eq(smsReplies.phone, phone))).orderBy(asc(smsReplies.id));
const waiting = (phone: string) =>
  db.select({ seq: smsInboundParts.seq }).from(smsInboundParts).where(and(eq(smsInboundParts.sender, phone), isNull(smsInboundParts.joinedAt))).orderBy(asc(smsInboundParts.seq));
/** `seconds` go by for the parts from `phone` still waiting: each arrived that much earlier. */
const waitedFor = (phone: string, seconds: number) =>
  db
    .update(smsInboundParts)
    .set({ receivedAt: sql`${smsInboundParts.receivedAt} - make_interval(secs => ${seconds})` })
    .where(and(eq(smsInboundParts.sender, phone), isNull(smsInboundParts.joinedAt)));
/** Part `seq` of a 2-part SMS from `phone` with reference 0 (an SMSC that gives none, or a wrapped 8-bit one). */
const part = (phone: string, seq: number, text: string) => handleInboundSms(url, { from: phone, to: "Parts", text, part: { ref: 0, total: 2, seq } });

describe("a long SMS that reuses the reference of one still missing a part", () => {
  it("is not spliced with it when its last part comes first: each is kept apart, and its STOP is done", async () => {
    const phone = "+33612347001";
    await part(phone, 1, "Can you call me "); // its part 2 is lost
    // Within the patience, but minutes later: another message, not the rest of this one.
    await waitedFor(phone, (PART_GAP_MINUTES + 1) * 60);

    // The next long SMS, same reference, its part 2 first: the earlier leftover is kept as it is.
    await part(phone, 2, "SMS");
    expect(await stored(phone)).toEqual([{ text: `Can you call me ${MISSING_PART}`, action: null }]);
    expect(await waiting(phone)).toEqual([{ seq: 2 }]);

    expect(await part(phone, 1, "STOP ")).toContain(site.id);
    expect(await stored(phone)).toEqual([
      { text: `Can you call me ${MISSING_PART}`, action: null },
      { text: "STOP SMS", action: "opt_out" },
    ]);
    expect(await db.select({ keyword: smsOptOuts.keyword }).from(smsOptOuts).where(and(eq(smsOptOuts.siteId, site.id), eq(smsOptOuts.phone, phone)))).toEqual([{ keyword: "STOPSMS" }]);
    expect(await waiting(phone)).toEqual([]);
  });

  it("left waiting alone, the newer message's part is kept with its gap after the patience, and the older one is not lost", async () => {
    const phone = "+33612347002";
    await part(phone, 1, "See you at ");
    await waitedFor(phone, (PART_GAP_MINUTES + 1) * 60);
    await part(phone, 2, "the station.");
    await waitedFor(phone, (PART_PATIENCE_MINUTES + 1) * 60);
    await housekeeping();
    expect(await stored(phone)).toEqual([
      { text: `See you at ${MISSING_PART}`, action: null },
      { text: `${MISSING_PART}the station.`, action: null },
    ]);
  });
});

describe("the parts of one message", () => {
  it("are joined when each comes a little less than the gap after the one before, however long the whole takes", async () => {
    const phone = "+33612347003";
    const three = (seq: number, text: string) => handleInboundSms(url, { from: phone, to: "Parts", text, part: { ref: 7, total: 3, seq } });
    const almostGap = PART_GAP_MINUTES * 60 - 15;
    await three(3, "at nine.");
    await waitedFor(phone, almostGap);
    await three(1, "The meeting ");
    // Part 3 has now waited longer than the gap; part 1, the latest, has not.
    await waitedFor(phone, almostGap);
    expect(await three(2, "starts ")).toContain(site.id);
    expect(await stored(phone)).toEqual([{ text: "The meeting starts at nine.", action: null }]);
  });
});
