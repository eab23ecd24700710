import { and, eq, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db, rows } from "@/db/client";
import { subscriberKeys, subscriptions, subscriptionStatuses, type Subscription, type SubscriptionStatus } from "@/db/schema";
import { likePrefix } from "@/lib/db-utils";
import { emailSearchText } from "@/lib/idn";
import { csvHeaders, pagedCsvStream, STABLE_CSV, type CsvFormat, type CsvWords } from "@/lib/csv";
import { keysetPage, keysetSql, type KeysetOptions } from "@/lib/paging";
import { keysetFields, noControl, parseUrlFilters, urlBigId, urlFilterQuery, type FilterFields, type UrlInput } from "@/lib/url-filters";
import { parsePastedSubscribers } from "./phones";
import { numberPrefix, phonePrefixWhere } from "@/lib/sms/opt-out-list";
import { DEFAULT_COUNTRY, isPhoneLike } from "@/lib/sms/phone";
import { isLocale, locales, type Locale } from "@/lib/i18n/config";
import { siteLocale } from "@/lib/i18n/reader-locale";
import { ActionError } from "@/lib/actions/errors";
import { erasedAmong, erasedPhonesAmong } from "./erase";
import { holdGroups } from "./group-numbers";

/* ---------- The group screen's filters, as they travel in the URL (page, export, links). ---------- */

/** `lang`: the language subscribers read (subscriptions.locale); see languageWhere. */
export type SubscriptionFilters = { q?: string; status?: SubscriptionStatus; lang?: Locale; after?: number; before?: number };
type FilterName = keyof SubscriptionFilters;

const filterFields: FilterFields<SubscriptionFilters> = {
  q: z.string().trim().min(1).max(320).regex(noControl),
  status: z.enum(subscriptionStatuses),
  lang: z.enum(locales),
  ...keysetFields(urlBigId),
};

/** Valid filters, plus the names of those given but not understood (dropped, and said so). */
export function parseSubscriptionFilters(input: UrlInput): { filters: SubscriptionFilters; invalid: FilterName[] } {
  return parseUrlFilters(filterFields, input);
}

/** Filters → query string, without the cursor unless `extra` gives one. */
export function subscriptionQuery(filters: SubscriptionFilters, extra: Record<string, string | number | undefined> = {}) {
  return urlFilterQuery(filters, extra);
}

/**
 * One group of one site, filtered. The email prefix uses the text_pattern_ops range so the
 * (site_id, email) index serves it; the LIKE keeps the match exact (`_` and `%` are literal).
 * A number typed as people write it ("06 12…", read in `country`) also finds the mobile numbers
 * it starts. `defaultLocale` is the site's (sites.defaultLocale): see languageWhere.
 */
export function subscriptionsWhere(
  siteId: number,
  groupId: number,
  f: Omit<SubscriptionFilters, "after" | "before"> = {},
  country = DEFAULT_COUNTRY,
  defaultLocale: string | null = null,
): SQL {
  const parts: SQL[] = [eq(subscriptions.siteId, siteId), eq(subscriptions.groupId, groupId)];
  if (f.status) parts.push(eq(subscriptions.status, f.status));
  if (f.lang) parts.push(languageWhere(f.lang, defaultLocale));
  if (f.q) {
    const prefix = f.q.trim().toLowerCase();
    // ann@crème is searched as stored, ann@xn--crme-6oa (emailSearchText says what a partial label finds).
    const typed = emailSearchText(prefix);
    const email = sql`(${subscriptions.email} ~>=~ ${typed} and ${subscriptions.email} ~<~ ${`${typed}\u{10FFFF}`} and ${subscriptions.email} like ${likePrefix(typed)})`;
    const number = isPhoneLike(prefix) ? numberPrefix(prefix, country) : null;
    parts.push(number ? sql`(${email} or ${phonePrefixWhere(subscriptions.phone, number)})` : email);
  }
  return and(...parts)!;
}

/**
 * Subscriptions whose readers get `lang`. A subscription without a language (added before the
 * screens asked for one) is sent in the site's default language, so filtering on that language
 * finds it too; the list stays on the group's (site, group, id) index, this is only a filter on
 * the rows it walks.
 */
export function languageWhere(lang: Locale, defaultLocale: string | null): SQL {
  return lang === siteLocale(defaultLocale) ? sql`(${subscriptions.locale} = ${lang} or ${subscriptions.locale} is null)` : eq(subscriptions.locale, lang);
}

/** A stored language the app speaks, or null (not stated: the site's default applies). */
export const statedLocale = (value: string | null | undefined): Locale | null => (isLocale(value) ? value : null);

export type SubscriptionRow = Pick<Subscription, "id" | "email" | "phone" | "name" | "locale" | "status" | "source" | "consentAt" | "consentIp" | "consentText" | "confirmedAt" | "unsubscribedAt"> & {
  /** The number replied STOP (sms_opt_outs): SMS sends leave it out. */
  smsOptedOut: boolean;
};

/** One page, newest first, keyset-paginated on id (`after` = the last id seen, `before` = the first). */
export async function listSubscriptions(where: SQL, options: KeysetOptions<number> = {}): Promise<{ rows: SubscriptionRow[]; next: number | null; prev: number | null }> {
  return keysetPage(options, ({ cursor, back, take }) => subscriptionsBeyond(where, cursor, back, take), (r) => r.id);
}

/** The subscriptions on one side of a cursor, nearest first (lib/paging.ts). */
function subscriptionsBeyond(where: SQL, cursor: number | undefined, back: boolean, take: number): Promise<SubscriptionRow[]> {
  const k = keysetSql("desc", back);
  // The page first (subscriptions_site_group_id_idx walks the group in id order), then the
  // opt-out flag for its rows only: asked inside the page's query, the planner hashed the whole
  // sms_opt_outs table for each page instead of probing its key a few dozen times.
  const page = db
    .select({
      id: subscriptions.id,
      siteId: subscriptions.siteId,
      email: subscriptions.email,
      phone: subscriptions.phone,
      name: subscriptions.name,
      locale: subscriptions.locale,
      status: subscriptions.status,
      source: subscriptions.source,
      consentAt: subscriptions.consentAt,
      consentIp: subscriptions.consentIp,
      consentText: subscriptions.consentText,
      confirmedAt: subscriptions.confirmedAt,
      unsubscribedAt: subscriptions.unsubscribedAt,
    })
    .from(subscriptions)
    .where(cursor === undefined ? where : and(where, sql`${subscriptions.id} ${k.beyond} ${cursor}`))
    .orderBy(sql`${subscriptions.id} ${k.nearest}`)
    .limit(take)
    .as("page");
  return db
    .select({
      id: page.id,
      email: page.email,
      phone: page.phone,
      name: page.name,
      locale: page.locale,
      status: page.status,
      source: page.source,
      consentAt: page.consentAt,
      consentIp: page.consentIp,
      consentText: page.consentText,
      confirmedAt: page.confirmedAt,
      unsubscribedAt: page.unsubscribedAt,
      // Qualified by hand: Drizzle writes a lone source's columns unqualified, which inside the
      // subquery would name the opt-out's own columns.
      smsOptedOut: sql<boolean>`exists (select 1 from sms_opt_outs o where o.site_id = "page"."site_id" and o.phone = "page"."phone")`,
    })
    .from(page)
    .orderBy(sql`${page.id} ${k.nearest}`);
}

/* ---------- Adding addresses: one, pasted, or imported. ---------- */

/**
 * What adding an address to a group does. `unsubscribed` (it left this group) and `suppressed`
 * (it left every group of the site) are refused: only the person can come back, through the
 * signup form's double opt-in; an administrator never re-confirms them. `erased` (erased on
 * request from the site, lib/newsletters/erase.ts) is refused the same way.
 */
export type AddOutcome = "added" | "confirmed" | "already" | "unsubscribed" | "suppressed" | "erased" | "erasedPhone";
/** The outcomes that leave the address as it is, reported as refused. */
export type RefusedOutcome = Extract<AddOutcome, "unsubscribed" | "suppressed" | "erased" | "erasedPhone">;
export const isRefusedOutcome = (o: AddOutcome | null | undefined): o is RefusedOutcome => o === "unsubscribed" || o === "suppressed" || o === "erased" || o === "erasedPhone";
/**
 * `phone`, when given, is already in E.164: it is stored with a new subscription and replaces
 * the number of one already in the group (not of an unsubscribed one). No phone keeps the old one.
 * `locale`, when given (an import's language cell), is the language of a new subscription, in
 * place of AddOptions' one.
 */
export type NewSubscriber = { email: string; name: string; phone?: string | null; locale?: Locale | null };
/**
 * `locale`: the language new subscriptions read (the form's choice, the site's default unless
 * changed). Only new ones: an address already in the group keeps its own, which may be the one
 * the person chose when signing up; "Set language" on the group's page changes it on purpose.
 */
export type AddOptions = { status: "confirmed" | "unconfirmed"; source: "screen" | "import"; consentText: string; locale: Locale; existingGroup?: boolean };

/**
 * `existingGroup` (the screens, which found the group before): it must still exist when the rows
 * are written, held until they commit (holdGroups), or nothing is written and the caller hears
 * that the group no longer exists (a deletion came in between).
 */
/** `field`: the form field that named the group, where the refusal is shown (a move's "to"). */
async function requireHeldGroup(tx: Pick<typeof db, "execute">, siteId: number, groupId: number, field?: string) {
  if (!(await holdGroups(siteId, [groupId], tx)).has(groupId)) throw new ActionError({ key: "errors.groupNotFound" }, field);
}
/**
 * What a group and its site already hold for some addresses: their subscriptions to the group,
 * the suppressed and the erased ones, and the number each person has on the site (one person, one
 * number: it is kept the same in all their groups), which an address new to the group can still replace.
 */
type Found = {
  existing: Map<string, { status: SubscriptionStatus; name: string; phone: string | null }>;
  suppressed: Set<string>;
  erased: Set<string>;
  sitePhones: Map<string, string>;
  /** Numbers given with the addresses that belonged to someone erased from the site (erasedPhoneHash). */
  erasedPhones: Set<string>;
};
/**
 * Each address's outcome, and the addresses whose number was set or replaced, with the number
 * each had (null: none): in this group, or (replaced) in their other groups of the site.
 */
export type AddResult = { outcomes: Map<string, AddOutcome>; phones: Map<string, string | null> };

const CHUNK = 1000;
const chunked = <T>(list: T[]) => Array.from({ length: Math.ceil(list.length / CHUNK) }, (_, i) => list.slice(i * CHUNK, (i + 1) * CHUNK));
type Tx = Pick<typeof db, "select" | "selectDistinctOn" | "insert" | "update" | "execute">;

/**
 * The addresses (normalised, at most 1,000) already in the group, and those suppressed or erased
 * on the site; of the numbers given with them (`phones`, E.164), those of an erased person.
 */
export async function lookupAddresses(siteId: number, groupId: number, emails: string[], tx: Tx = db, phones: string[] = []): Promise<Found> {
  if (emails.length === 0) return { existing: new Map(), suppressed: new Set(), erased: new Set(), sitePhones: new Map(), erasedPhones: new Set() };
  const [present, keys, numbers, erased, erasedPhones] = await Promise.all([
    tx
      .select({ email: subscriptions.email, status: subscriptions.status, name: subscriptions.name, phone: subscriptions.phone })
      .from(subscriptions)
      .where(and(eq(subscriptions.siteId, siteId), eq(subscriptions.groupId, groupId), inArray(subscriptions.email, emails))),
    tx
      .select({ email: subscriberKeys.email })
      .from(subscriberKeys)
      .where(and(eq(subscriberKeys.siteId, siteId), inArray(subscriberKeys.email, emails), isNotNull(subscriberKeys.suppressedAt))),
    tx
      .selectDistinctOn([subscriptions.email], { email: subscriptions.email, phone: subscriptions.phone })
      .from(subscriptions)
      .where(and(eq(subscriptions.siteId, siteId), inArray(subscriptions.email, emails), isNotNull(subscriptions.phone))),
    erasedAmong(siteId, emails, tx),
    erasedPhonesAmong(siteId, [...new Set(phones)], tx),
  ]);
  return {
    existing: new Map(present.map((p) => [p.email, p])),
    suppressed: new Set(keys.map((k) => k.email)),
    erased,
    sitePhones: new Map(numbers.map((n) => [n.email, n.phone!])),
    erasedPhones,
  };
}

/**
 * What would happen to one address, given with `phone` (the preview shows this before anything
 * is written). A number of someone erased refuses the whole row, whoever's address it comes with:
 * the address is left as it is, its number too.
 */
export function plannedOutcome(email: string, status: AddOptions["status"], found: Found, phone?: string | null): AddOutcome {
  const current = found.existing.get(email)?.status;
  if (current === "unsubscribed") return "unsubscribed";
  // Not for a person who kept it (a number they shared with the one erased): it is already theirs.
  if (phone && found.erasedPhones.has(phone) && found.sitePhones.get(email) !== phone) return "erasedPhone";
  if (current === "confirmed") return "already";
  if (found.suppressed.has(email)) return "suppressed";
  // Someone typed it into the signup form since (an unconfirmed row): still not the person's word.
  if (found.erased.has(email)) return "erased";
  if (current === "unconfirmed") return status === "confirmed" ? "confirmed" : "already";
  return "added";
}

/**
 * Adds addresses (already normalised and valid; the first of duplicates wins) to a group, in
 * one transaction. A confirmed subscription stays confirmed; an unconfirmed one is confirmed
 * when `status` is confirmed; a missing name is filled in and a given phone replaces the old one.
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
    if (options.existingGroup) await requireHeldGroup(tx, siteId, groupId);
    for (const chunk of chunked(unique)) {
      const found = await lookupAddresses(siteId, groupId, chunk.map((e) => e.email), tx, chunk.flatMap((e) => (e.phone ? [e.phone] : [])));
      const insert: NewSubscriber[] = [];
      const confirm: string[] = [];
      for (const e of chunk) {
        const planned = plannedOutcome(e.email, options.status, found, e.phone);
        outcomes.set(e.email, planned === "added" || planned === "confirmed" ? "already" : planned);
        if (planned === "added") insert.push(e);
        if (planned === "confirmed") confirm.push(e.email);
      }
      if (insert.length) {
        const confirmed = options.status === "confirmed";
        const added = await tx
          .insert(subscriptions)
          .values(insert.map((e) => ({ siteId, groupId, email: e.email, name: e.name, phone: e.phone ?? null, locale: e.locale ?? options.locale, localeSetAt: now, source: options.source, status: options.status, ...consent, confirmedAt: confirmed ? now : null })))
          .onConflictDoNothing() // added meanwhile by someone else: then it was "already" there
          .returning({ email: subscriptions.email });
        for (const a of added) outcomes.set(a.email, "added");
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
        (e) => ["confirmed", "already"].includes(plannedOutcome(e.email, options.status, found, e.phone)) && ((e.name && found.existing.get(e.email)?.name === "") || newPhone(e)),
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
      // A number is the person's, not one group's: their other groups get it too, so a send to
      // several groups never reaches an old number beside the new one.
      const numbers = chunk.filter((e) => e.phone && !isRefusedOutcome(outcomes.get(e.email))).map((e) => ({ email: e.email, phone: e.phone }));
      if (numbers.length) await syncPhones(tx, siteId, numbers);
      // Added without a number: the one the person already has in another group.
      const bare = insert.filter((e) => !e.phone).map((e) => e.email);
      if (bare.length) {
        await tx.execute(sql`
          update subscriptions s set phone = o.phone
          from subscriptions o
          where s.site_id = ${siteId} and s.group_id = ${groupId} and s.phone is null
            and s.email in (select value from jsonb_array_elements_text(${JSON.stringify(bare)}::jsonb))
            and o.site_id = s.site_id and o.email = s.email and o.phone is not null`);
      }
    }
  });
  return { outcomes, phones };
}

/**
 * Sets (E.164) or removes (null) the phone of the person one subscription of a group names (in
 * all their groups of the site), whatever its status:
 * a number never subscribes anyone. Null when the site has no such subscription in that group.
 * The number of someone erased from the site is refused (errors.erasedPhone), unless it is
 * already this person's.
 */
export async function setSubscriptionPhone(siteId: number, groupId: number, id: number, phone: string | null): Promise<{ email: string } | null> {
  const [row] = await db
    .select({ email: subscriptions.email, phone: subscriptions.phone })
    .from(subscriptions)
    .where(and(eq(subscriptions.siteId, siteId), eq(subscriptions.groupId, groupId), eq(subscriptions.id, id)));
  if (!row) return null;
  if (phone && phone !== row.phone && (await erasedPhonesAmong(siteId, [phone])).has(phone)) throw new ActionError({ key: "errors.erasedPhone" }, "phone");
  await syncPhones(db, siteId, [{ email: row.email, phone }]);
  return { email: row.email };
}

/** Sets each address's number on every subscription of the site (all its groups). */
async function syncPhones(tx: Pick<typeof db, "execute">, siteId: number, numbers: { email: string; phone: string | null | undefined }[]) {
  await tx.execute(sql`
    update subscriptions s set phone = v.phone, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(numbers.map((n) => ({ email: n.email, phone: n.phone ?? null })))}::jsonb) as v(email text, phone text)
    where s.site_id = ${siteId} and s.email = v.email and s.phone is distinct from v.phone`);
}

/**
 * `numbersAdded`: addresses already in the group that had no number and got the pasted one;
 * `numbersChanged`: those whose number the pasted one replaced (they are counted in `already`
 * or `confirmed` too).
 */
export type PasteReport = {
  added: number;
  confirmed: number;
  already: number;
  numbersAdded: number;
  numbersChanged: string[];
  /** Addresses that unsubscribed, left everything or were erased: only the person can come back. */
  refused: string[];
  /** Addresses left out for the number given with them, someone erased's (erasedPhone): they may come without it. */
  refusedNumbers: string[];
  invalid: string[];
};

/**
 * "Paste many": every address of the text is added as confirmed (source "screen"). A number
 * pasted beside an address already in the group replaces its number, as the CSV import does
 * and the one-address form does: what the administrator types now is the newest number they
 * have, and keeping the old one would silently drop it. Unlike the import there is no preview,
 * so the report says which addresses had their number replaced, for a mistake to be seen.
 */
export async function pasteAddresses(siteId: number, groupId: number, text: string, consentText: string, country: string, locale: Locale, existingGroup = false): Promise<PasteReport> {
  const { entries, invalid } = parsePastedSubscribers(text, country);
  const { outcomes, phones } = await addSubscribers(siteId, groupId, entries, { status: "confirmed", source: "screen", consentText, locale, existingGroup });
  const numbersChanged = [...phones].filter(([, before]) => before !== null).map(([email]) => email);
  const report: PasteReport = { added: 0, confirmed: 0, already: 0, numbersAdded: phones.size - numbersChanged.length, numbersChanged, refused: [], refusedNumbers: [], invalid };
  for (const [email, outcome] of outcomes) {
    if (outcome === "erasedPhone") report.refusedNumbers.push(email);
    else if (isRefusedOutcome(outcome)) report.refused.push(email);
    else report[outcome]++;
  }
  return report;
}

/* ---------- Removing and moving a selection. ---------- */

const idList = (ids: number[]) => sql`(select value::bigint from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

/*
 * An unsubscribed row never leaves its group: for someone who left one group (not the whole
 * site, which subscriber_keys.suppressed_at records), it is the only record that they did, and
 * without it an administrator's next add, paste or import of an old list would confirm them
 * again (plannedOutcome). Removing skips it; moving copies it to the target and keeps it here.
 */
const unsubscribed = sql`s.status = 'unsubscribed'`;

/**
 * Deletes selected subscriptions of a group (ids of another site or group are ignored), except
 * unsubscribed ones, which are kept (counted in `kept`).
 */
export async function removeSubscriptions(siteId: number, groupId: number, ids: number[]): Promise<{ removed: number; kept: number }> {
  if (ids.length === 0) return { removed: 0, kept: 0 };
  const selection = sql`s.site_id = ${siteId} and s.group_id = ${groupId} and s.id in ${idList(ids)}`;
  // One statement: both counts read the same snapshot, whatever changes the rows meanwhile.
  const [counts] = rows<{ removed: number; kept: number }>(
    await db.execute(sql`
      with gone as (delete from subscriptions s where ${selection} and not ${unsubscribed} returning s.id)
      select (select count(*) from gone)::int as removed, (select count(*) from subscriptions s where ${selection} and ${unsubscribed})::int as kept`),
  );
  return { removed: Number(counts?.removed ?? 0), kept: Number(counts?.kept ?? 0) };
}

/**
 * Moves selected subscriptions to another group of the same site. An address already in the
 * target is merged into it instead (one subscription per site, group and address): the target
 * keeps its status unless it was only unconfirmed, in which case the moved one's confirmation
 * (or unsubscription, never lost) and consent record win; an empty name is filled in. An
 * unsubscribed one is copied and stays in its group too (counted in `kept`, not `moved`).
 */
export async function moveSubscriptions(siteId: number, fromGroup: number, toGroup: number, ids: number[], existingGroup = false): Promise<{ moved: number; merged: number; kept: number }> {
  if (ids.length === 0 || fromGroup === toGroup) return { moved: 0, merged: 0, kept: 0 };
  const source = sql`s.site_id = ${siteId} and s.group_id = ${fromGroup} and s.id in ${idList(ids)}`;
  const leaving = sql`${source} and not ${unsubscribed}`;
  const takeSource = sql`t.status = 'unconfirmed' and s.status <> 'unconfirmed'`;
  return db.transaction(async (tx) => {
    // The target, as addSubscribers holds it (`existingGroup`: the screen found it before).
    if (existingGroup) await requireHeldGroup(tx, siteId, toGroup, "to");
    // The links that may follow the move are locked before the subscriptions, in the order
    // confirmSubscription locks them (no deadlock with a confirmation at the same moment).
    await tx.execute(sql`select 1 from signup_confirmations where site_id = ${siteId} and ${fromGroup}::int = any(group_ids) for update`);
    const merged = rows(
      await tx.execute(sql`
      update subscriptions t set
        status = case when ${takeSource} then s.status else t.status end,
        confirmed_at = case when ${takeSource} then s.confirmed_at else t.confirmed_at end,
        unsubscribed_at = case when ${takeSource} then s.unsubscribed_at else t.unsubscribed_at end,
        consent_at = case when ${takeSource} then s.consent_at else t.consent_at end,
        consent_ip = case when ${takeSource} then s.consent_ip else t.consent_ip end,
        consent_user_agent = case when ${takeSource} then s.consent_user_agent else t.consent_user_agent end,
        consent_text = case when ${takeSource} then s.consent_text else t.consent_text end,
        name = case when t.name = '' then s.name else t.name end,
        updated_at = now()
      from subscriptions s
      where ${source} and t.site_id = ${siteId} and t.group_id = ${toGroup} and t.email = s.email
      returning t.id`),
    ).length;
    await tx.execute(sql`
      delete from subscriptions s where ${leaving}
      and exists (select 1 from subscriptions t where t.site_id = ${siteId} and t.group_id = ${toGroup} and t.email = s.email)`);
    // The copy carries no confirmation link: one mailed for this group must not confirm the target.
    await tx.execute(sql`
        insert into subscriptions (site_id, group_id, email, phone, name, locale, locale_set_at, status, source, consent_at, consent_ip, consent_user_agent, consent_text, confirmed_at, unsubscribed_at)
        select s.site_id, ${toGroup}, s.email, s.phone, s.name, s.locale, s.locale_set_at, s.status, s.source, s.consent_at, s.consent_ip, s.consent_user_agent, s.consent_text, s.confirmed_at, s.unsubscribed_at
        from subscriptions s where ${source} and ${unsubscribed}
        on conflict (site_id, group_id, email) do nothing`);
    const kept = rows<{ n: number }>(await tx.execute(sql`select count(*)::int as n from subscriptions s where ${source} and ${unsubscribed}`));
    const movedRows = rows<{ email: string }>(await tx.execute(sql`update subscriptions s set group_id = ${toGroup}, updated_at = now() where ${leaving} returning s.email`));
    // A confirmation link mailed for the old group confirms the subscription where it is now.
    if (movedRows.length) {
      await tx.execute(sql`
        update signup_confirmations c
           set group_ids = (select array_agg(distinct g order by g) from unnest(array_append(array_remove(c.group_ids, ${fromGroup}::int), ${toGroup}::int)) g)
         where c.site_id = ${siteId} and ${fromGroup}::int = any(c.group_ids)
           and c.email in (select value from jsonb_array_elements_text(${JSON.stringify(movedRows.map((m) => m.email))}::jsonb))`);
    }
    const moved = movedRows.length;
    // `kept`: the unsubscribed ones of the selection, which stay here (copied there, or merged).
    return { moved, merged, kept: Number(kept[0]?.n ?? 0) };
  });
}

/**
 * "Set language": the selected subscriptions of a group (ids of another site or group are
 * ignored) read `locale` from now on, whatever their status (an unsubscribed one coming back
 * through the signup gets the signup's language anyway). Stated now (`locale_set_at`), it becomes
 * the person's language for one-language sends over their other groups' older ones
 * (newestLanguage in audience.ts). Returns how many were in the selection.
 */
export async function setSubscriptionsLocale(siteId: number, groupId: number, ids: number[], locale: Locale): Promise<number> {
  if (ids.length === 0) return 0;
  const updated = rows(
    await db.execute(sql`
      update subscriptions s set locale = ${locale}, locale_set_at = now(), updated_at = now()
      where s.site_id = ${siteId} and s.group_id = ${groupId} and s.id in ${idList(ids)}
      returning s.id`),
  );
  return updated.length;
}

/* ---------- CSV export. ---------- */

// New columns come last (`phone`, then `language`): spreadsheets and scripts made for the earlier
// columns keep working. `language` is empty when not stated (the site's default applies): the
// import reads it back the same way, an empty cell taking the import's chosen language.
export const SUBSCRIPTION_CSV_COLUMNS = ["email", "name", "status", "source", "consent_at", "consent_ip", "consent_text", "confirmed_at", "unsubscribed_at", "phone", "language"] as const;
/**
 * Where a screen's file takes its words (CsvWords), the import's vocabulary too (import-vocabulary.ts):
 * whatever the site calls a status or a column, its own file imported back is read as it was written.
 */
export const SUBSCRIPTION_CSV_HEADERS = "subscriptions.csv";
export const subscriptionStatusLabel = (status: SubscriptionStatus) => `subscriptions.status.${status}`;
export const languageLabel = (locale: Locale) => `layout.languageLabel.${locale}`;
const BATCH = 5_000;
const cells = (r: SubscriptionRow, words: CsvWords) => {
  const language = statedLocale(r.locale);
  // The address as stored, an accented domain in ASCII, unlike the screen: lib/idn.ts says why.
  return [
    r.email, r.name, words(subscriptionStatusLabel(r.status), r.status), words(`subscriptions.source.${r.source}`, r.source), r.consentAt, r.consentIp, r.consentText,
    r.confirmedAt, r.unsubscribedAt, r.phone, language ? words(languageLabel(language), language) : null,
  ];
};

/**
 * The filtered group as CSV, read in keyset batches as the client downloads it (like the queue
 * export), in a screen's words or a script's (`format`).
 */
export function subscriptionsCsvStream(where: SQL, format: CsvFormat = STABLE_CSV): ReadableStream<Uint8Array> {
  return pagedCsvStream<number>(csvHeaders(SUBSCRIPTION_CSV_COLUMNS, SUBSCRIPTION_CSV_HEADERS, format.words), async (after) => {
    const page = await listSubscriptions(where, { after, limit: BATCH });
    return { lines: page.rows.map((r) => cells(r, format.words)), next: page.next };
  }, format.delimiter);
}
