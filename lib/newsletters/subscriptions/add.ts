import { and, eq, inArray, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { requireHeldGroup } from "../group-numbers";
import { isRefusedOutcome, lookupAddresses, plannedOutcome, type AddOptions, type AddOutcome, type NewSubscriber, type Tx } from "./planned-outcome";
import { syncPhones } from "./set-phone";

/**
 * Each address's outcome, and the addresses whose number was set or replaced, with the number
 * each had (null: none): in this group, or (replaced) in their other groups of the site.
 */
export type AddResult = { outcomes: Map<string, AddOutcome>; phones: Map<string, string | null> };

const CHUNK = 1000;
const chunked = <T>(list: T[]) => Array.from({ length: Math.ceil(list.length / CHUNK) }, (_, i) => list.slice(i * CHUNK, (i + 1) * CHUNK));

/**
 * Adds addresses (already normalised and valid; the first of duplicates wins) to a group, in
 * one transaction. A confirmed subscription stays confirmed; an unconfirmed one is confirmed
 * when `status` is confirmed; a missing name is filled in and a given phone replaces the old one.
 * The group is held until the rows commit (requireHeldGroup): one deleted meanwhile refuses
 * (errors.groupNotFound) and nothing is written.
 */
export async function addSubscribers(siteId: number, groupId: number, entries: NewSubscriber[], options: AddOptions): Promise<AddResult> {
  const outcomes = new Map<string, AddOutcome>();
  const phones = new Map<string, string | null>();
  const unique: NewSubscriber[] = [];
  for (const e of entries) {
    if (outcomes.has(e.email)) continue;
    outcomes.set(e.email, "already");
    unique.push(e);
  }
  const now = new Date();
  const consent = { consentAt: now, consentText: options.consentText };
  await db.transaction(async (tx) => {
    await requireHeldGroup(tx, siteId, groupId);
    for (const chunk of chunked(unique)) {
      // An address inserted by someone else (a signup, another administrator) between the lookup
      // and the insert loses the insert: it is written again as the address already there it now
      // is, so the name, number and confirmation typed with it are not dropped. Losing again would
      // need that row deleted and another inserted in the meantime: the rounds are only a bound.
      let pending = chunk;
      for (let round = 0; pending.length && round < 3; round++) pending = await writeChunk(tx, pending);
    }
  });
  return { outcomes, phones };

  /** Writes one chunk; gives back the entries whose insert someone else's row took meanwhile. */
  async function writeChunk(tx: Tx, chunk: NewSubscriber[]): Promise<NewSubscriber[]> {
    const found = await lookupAddresses(siteId, groupId, chunk.map((e) => e.email), tx, chunk.flatMap((e) => (e.phone ? [e.phone] : [])));
    const planned = new Map(chunk.map((e) => [e.email, plannedOutcome(e.email, options.status, found, e.phone)]));
    const insert = chunk.filter((e) => planned.get(e.email) === "added");
    const confirm = chunk.filter((e) => planned.get(e.email) === "confirmed").map((e) => e.email);
    for (const e of chunk) {
      const p = planned.get(e.email)!;
      outcomes.set(e.email, p === "added" || p === "confirmed" ? "already" : p);
    }
    const lost = new Set<string>();
    if (insert.length) {
      const confirmed = options.status === "confirmed";
      const added = await tx
        .insert(subscriptions)
        .values(insert.map((e) => ({ siteId, groupId, email: e.email, name: e.name, phone: e.phone ?? null, locale: e.locale ?? options.locale, localeSetAt: now, source: options.source, status: options.status, ...consent, confirmedAt: confirmed ? now : null })))
        .onConflictDoNothing() // added meanwhile by someone else: written again below as already there
        .returning({ email: subscriptions.email });
      for (const a of added) outcomes.set(a.email, "added");
      for (const e of insert) if (outcomes.get(e.email) !== "added") lost.add(e.email);
      // New to this group, known in another one with another number: that number is replaced
      // there too (syncPhones below), which the report must say.
      for (const e of insert) {
        const before = found.sitePhones.get(e.email);
        if (e.phone && before && before !== e.phone && outcomes.get(e.email) === "added") phones.set(e.email, before);
      }
    }
    if (confirm.length) {
      const done = await tx
        .update(subscriptions)
        .set({ status: "confirmed", confirmedAt: now, ...consent, updatedAt: now })
        .where(and(eq(subscriptions.siteId, siteId), eq(subscriptions.groupId, groupId), inArray(subscriptions.email, confirm), eq(subscriptions.status, "unconfirmed")))
        .returning({ email: subscriptions.email });
      for (const d of done) outcomes.set(d.email, "confirmed");
    }
    // Refused addresses (isRefusedOutcome) are left exactly as they are, name and phone included.
    const newPhone = (e: NewSubscriber) => !!e.phone && e.phone !== found.existing.get(e.email)?.phone;
    const fill = chunk.filter(
      (e) => ["confirmed", "already"].includes(planned.get(e.email)!) && ((e.name && found.existing.get(e.email)?.name === "") || newPhone(e)),
    );
    if (fill.length) {
      const values = fill.map((e) => ({ email: e.email, name: e.name, phone: e.phone ?? null }));
      const updated = rows<{ email: string }>(
        await tx.execute(sql`
          update subscriptions s set
            name = case when s.name = '' then v.name else s.name end,
            phone = coalesce(v.phone, s.phone),
            updated_at = ${now.toISOString()}::timestamptz
          from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(email text, name text, phone text)
          where s.site_id = ${siteId} and s.group_id = ${groupId} and s.email = v.email and s.status <> 'unsubscribed'
          returning s.email`),
      );
      const changed = new Set(fill.filter(newPhone).map((e) => e.email));
      for (const u of updated) if (changed.has(u.email)) phones.set(u.email, found.existing.get(u.email)?.phone ?? null);
    }
    const kept = chunk.filter((e) => !lost.has(e.email));
    // A number is the person's, not one group's: their other groups get it too, so a send to
    // several groups never reaches an old number beside the new one.
    const numbers = kept.filter((e) => e.phone && !isRefusedOutcome(outcomes.get(e.email))).map((e) => ({ email: e.email, phone: e.phone }));
    if (numbers.length) await syncPhones(tx, siteId, numbers);
    // Added without a number: the one the person already has in another group.
    const bare = insert.filter((e) => !e.phone && !lost.has(e.email)).map((e) => e.email);
    if (bare.length) {
      await tx.execute(sql`
        update subscriptions s set phone = o.phone
        from subscriptions o
        where s.site_id = ${siteId} and s.group_id = ${groupId} and s.phone is null
          and s.email in (select value from jsonb_array_elements_text(${JSON.stringify(bare)}::jsonb))
          and o.site_id = s.site_id and o.email = s.email and o.phone is not null`);
    }
    return chunk.filter((e) => lost.has(e.email));
  }
}
