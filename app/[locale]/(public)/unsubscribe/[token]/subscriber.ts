import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { sites, type SubscriptionStatus } from "@/db/schema";
import type { Locale } from "@/lib/i18n/config";
import { listGroups } from "@/lib/newsletters/groups";
import { findByToken } from "@/lib/newsletters/unsubscribe";
import { shownDomain } from "@/lib/idn";

/**
 * `ann.smith@example.org` → `a•••••h@example.org`: enough to recognise, not to copy; a domain as
 * the person wrote it (crème.fr, stored xn--crme-6oa.fr).
 */
export function maskEmail(email: string) {
  const at = email.lastIndexOf("@");
  const local = at > 0 ? email.slice(0, at) : email;
  const domain = at > 0 ? `@${shownDomain(email.slice(at + 1))}` : "";
  const masked = local.length <= 2 ? `${local[0]}•` : `${local[0]}${"•".repeat(Math.min(local.length - 2, 6))}${local[local.length - 1]}`;
  return masked + domain;
}

export type SubscriberView = {
  masked: string;
  siteName: string;
  suppressed: boolean;
  subscriptions: { groupId: number; label: string | null; status: SubscriptionStatus }[];
};

/** What the unsubscribe page shows for a token (labels in the page's locale), or null if unknown. */
export async function subscriberView(token: string, locale: Locale): Promise<SubscriberView | null> {
  const who = await findByToken(token);
  if (!who) return null;
  const [site] = await db.select().from(sites).where(eq(sites.id, who.siteId));
  const groups = await listGroups(site, locale);
  return {
    masked: maskEmail(who.email),
    siteName: site.name,
    suppressed: who.suppressed,
    subscriptions: who.subscriptions.map((s) => ({
      groupId: s.groupId,
      label: groups.find((g) => g.id === s.groupId)?.label ?? null,
      status: s.status as SubscriptionStatus,
    })),
  };
}
