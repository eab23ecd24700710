import { sql, type SQL } from "drizzle-orm";

// Who a send may reach, one SQL condition each, shared by the send (its rows), the send dialog
// (its count and cost, built without the rows) and the queue's check of rows already queued
// (left-the-audience.ts): written once, so that the three cannot drift apart. A site is given
// as a number or as a column; a subscription as `s`.

/**
 * `s` is in one of these groups. An array constant rather than a jsonb list joined in: PostgreSQL
 * then estimates the groups' rows from its statistics. One group is compared as one value: an
 * index scan on it then reads its rows in the index's order, which a list loses
 * (sms-audience-count.ts counts one group's numbers in number order).
 */
export const inGroups = (groupIds: number[]): SQL => {
  const ids = [...new Set(groupIds)];
  return ids.length === 1 ? sql`s.group_id = ${ids[0]}` : sql`s.group_id = any(string_to_array(${ids.join(",")}, ',')::int[])`;
};

/** `s` is a confirmed subscription of the site in the groups `groups` says (inGroups, or a queued send's). */
export const confirmedIn = (siteId: SQL | number, groups: SQL): SQL => sql`s.site_id = ${siteId} and s.status = 'confirmed' and ${groups}`;

/** The address asked for no newsletter at all from the site (one-click unsubscribe). */
export const suppressed = (siteId: SQL | number, email: SQL): SQL =>
  sql`exists (select 1 from subscriber_keys k where k.site_id = ${siteId} and k.email = ${email} and k.suppressed_at is not null)`;

/** `s` is confirmed in `groups` with a number (givesNumber, its address not yet checked). */
export const numberIn = (siteId: SQL | number, groups: SQL): SQL => sql`${confirmedIn(siteId, groups)} and s.phone is not null`;

/**
 * `s` gives its number to the groups' SMS: confirmed in `groups`, with a number, and its address
 * not suppressed (someone who left everything left by SMS too).
 */
export const givesNumber = (siteId: SQL | number, groups: SQL): SQL => sql`${numberIn(siteId, groups)} and not ${suppressed(siteId, sql`s.email`)}`;

/** The address left some group of the site: a pasted list no longer reaches it. */
export const leftAGroup = (siteId: SQL | number, email: SQL): SQL =>
  sql`exists (select 1 from subscriptions u where u.site_id = ${siteId} and u.email = ${email} and u.status = 'unsubscribed')`;

/**
 * Someone whose subscription gave this number left: a subscription of the site with it is
 * unsubscribed, or belongs to a suppressed address. A pasted list no longer reaches the number.
 */
export const numberLeft = (siteId: SQL | number, phone: SQL): SQL =>
  sql`exists (select 1 from subscriptions u where u.site_id = ${siteId} and u.phone = ${phone} and (u.status = 'unsubscribed' or ${suppressed(siteId, sql`u.email`)}))`;

/** The address or number was erased from the site on request (lib/newsletters/erase.ts): given by its keyed hash. */
export const erased = (siteId: SQL | number, hash: SQL): SQL =>
  sql`exists (select 1 from erased_subscribers e where e.site_id = ${siteId} and e.email_hash = ${hash})`;

/** A pasted number `p(value, hash)` (sms-audience.ts pastedPhones) a send may text: nobody with it left, and not an erased person's. */
export const pastedNumberAllowed = (siteId: number): SQL => sql`not ${numberLeft(siteId, sql`p.value`)} and not ${erased(siteId, sql`p.hash`)}`;

/** How the number got on the site's SMS opt-out list (a STOP reply, the provider, an admin): no row when it is not on it. */
export const optOutOf = (siteId: SQL | number, phone: SQL): SQL => sql`select o.source from sms_opt_outs o where o.site_id = ${siteId} and o.phone = ${phone}`;

/** The number is on the site's SMS opt-out list: left out whatever its subscriptions say. */
export const optedOut = (siteId: SQL | number, phone: SQL): SQL => sql`exists (${optOutOf(siteId, phone)})`;
