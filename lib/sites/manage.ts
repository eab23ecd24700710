import { and, asc, eq, isNotNull, notLike, sql } from "drizzle-orm";
import { db, type Database } from "@/db/client";
import { sites, type NewSite, type Site } from "@/db/schema";
import { ActionError } from "@/lib/actions/errors";
import { isUniqueViolation } from "@/lib/db-utils";
import { openSecret, SEALED_PREFIX, sealSecret } from "@/lib/secrets";
import { keepSecret, maskSmsUrl, SECRET_MASK } from "@/lib/sms/url";

export type SiteInput = Omit<NewSite, "id" | "createdAt">;

export const listSites = () => db.select().from(sites).orderBy(asc(sites.id));

export async function getSite(id: number): Promise<Site | null> {
  const [site] = await db.select().from(sites).where(eq(sites.id, id)).limit(1);
  return site ?? null;
}

/** Creates or updates a site. Making one the default takes the flag off the previous one. */
export async function saveSite(id: number | null, input: SiteInput): Promise<Site> {
  const values = { ...input, domain: input.domain.trim().toLowerCase() };
  try {
    return await db.transaction(async (tx) => {
      let sealed: string | null = null;
      if (values.smsUrl?.includes(SECRET_MASK)) {
        // The form showed the stored URL masked (maskSmsUrl): keep the secret it hid.
        const [stored] = id === null ? [] : await tx.select({ smsUrl: sites.smsUrl }).from(sites).where(eq(sites.id, id));
        if (values.smsUrl === SECRET_MASK && stored?.smsUrl) {
          sealed = stored.smsUrl; // unreadable under this AUTH_SECRET (maskedSmsUrl): kept as stored
        } else {
          const kept = keepSecret(values.smsUrl, openSecret(stored?.smsUrl ?? null));
          if ("refused" in kept) throw new ActionError({ key: kept.refused === "elsewhere" ? "errors.smsUrlSecretAgain" : "errors.smsUrl" }, "smsUrl");
          values.smsUrl = kept.url;
        }
      }
      if (values.smsUrl) values.smsUrl = sealed ?? sealSecret(values.smsUrl);
      if (values.isDefault) {
        await tx.update(sites).set({ isDefault: false }).where(sql`${sites.isDefault} and ${sites.id} <> ${id ?? -1}`);
      }
      if (id === null) return (await tx.insert(sites).values(values).returning())[0];
      const [site] = await tx.update(sites).set(values).where(eq(sites.id, id)).returning();
      if (!site) throw new ActionError({ key: "errors.notFound" });
      return site;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ActionError({ key: "errors.domainTaken" }, "domain");
    throw error;
  }
}

/**
 * The site's SMS URL for its form: decrypted, then its password or token masked. One that
 * cannot be decrypted shows as the bare mask, which saved back keeps it as stored (a wrong
 * AUTH_SECRET put right brings it back) and is replaced by typing a new URL.
 */
export function formSmsUrl(site: Pick<Site, "smsUrl">): { shown: string | null; unreadable: boolean } {
  if (!site.smsUrl) return { shown: null, unreadable: false };
  const plain = openSecret(site.smsUrl);
  return plain === null ? { shown: SECRET_MASK, unreadable: true } : { shown: maskSmsUrl(plain), unreadable: false };
}

export const maskedSmsUrl = (site: Pick<Site, "smsUrl">) => formSmsUrl(site).shown;

/** Encrypts SMS URLs stored in clear by a version of chora that did not encrypt them (run at start). */
export async function sealPlainSmsUrls(handle: Database): Promise<number> {
  // Usually none: the query alone answers, at every start.
  const plain = await handle
    .select({ id: sites.id, smsUrl: sites.smsUrl })
    .from(sites)
    .where(and(isNotNull(sites.smsUrl), notLike(sites.smsUrl, `${SEALED_PREFIX}%`)));
  // Only if unchanged since read: a save made meanwhile wins.
  for (const s of plain) await handle.update(sites).set({ smsUrl: sealSecret(s.smsUrl!) }).where(and(eq(sites.id, s.id), eq(sites.smsUrl, s.smsUrl!)));
  return plain.length;
}
