import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { db } from "@/db/client";
import { subscriberKeys, subscriptions, type SubscriptionStatus } from "@/db/schema";
import type { Locale } from "@/lib/i18n/config";
import { erasedAmong, erasedPhonesAmong } from "../erase";

/* What adding an address would do (the import's preview shows it before anything is written). */

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
export type AddOptions = { status: "confirmed" | "unconfirmed"; source: "screen" | "import"; consentText: string; locale: Locale };

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
export type Tx = Pick<typeof db, "select" | "selectDistinctOn" | "insert" | "update" | "execute">;

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
 * the address is left as it is, its number too. An address refused for itself says so first:
 * "erasedPhone" promises the row comes without the number (the paste report says it), which
 * an address that left or was erased never does.
 */
export function plannedOutcome(email: string, status: AddOptions["status"], found: Found, phone?: string | null): AddOutcome {
  const current = found.existing.get(email)?.status;
  const erasedPhone = erasedPhoneFor(email, found, phone);
  if (current === "unsubscribed") return "unsubscribed";
  if (current === "confirmed") return erasedPhone ? "erasedPhone" : "already";
  if (found.suppressed.has(email)) return "suppressed";
  // Someone typed it into the signup form since (an unconfirmed row): still not the person's word.
  if (found.erased.has(email)) return "erased";
  if (erasedPhone) return "erasedPhone";
  if (current === "unconfirmed") return status === "confirmed" ? "confirmed" : "already";
  return "added";
}

/** Whether `phone` is someone erased's, given to `email`. Not for a person who kept it (a number they shared with the one erased): it is already theirs. */
const erasedPhoneFor = (email: string, found: Found, phone?: string | null) => !!phone && found.erasedPhones.has(phone) && found.sitePhones.get(email) !== phone;

/**
 * Both reasons one address and its number may be refused, for a form that says them together
 * (plannedOutcome gives the first only: the address's own refusal hid an erased person's number,
 * and the number hid the address's): the address's outcome without the number, and whether the
 * number is someone erased's.
 */
export async function refusalsOf(siteId: number, groupId: number, email: string, phone: string | null): Promise<{ address: AddOutcome; erasedPhone: boolean }> {
  const found = await lookupAddresses(siteId, groupId, [email], db, phone ? [phone] : []);
  return { address: plannedOutcome(email, "confirmed", found, null), erasedPhone: erasedPhoneFor(email, found, phone) };
}
