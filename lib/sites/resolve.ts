import { asc, eq, or, sql } from "drizzle-orm";
import { db, preparedStatement } from "@/db/client";
import { sites, type Site } from "@/db/schema";
import { requestHost } from "./request-host";

export { requestHost };

/**
 * `Example.org:3000` → `example.org`. IPv6 literals keep their brackets. The root's dot of a
 * fully qualified name (`example.org.`, as a browser sends it when typed so) names the same host.
 */
export function normalizeHost(host: string | null | undefined): string {
  const h = (host ?? "").trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  return h.split(":")[0].replace(/\.+$/, "");
}

/** The site of a request (requestHost, then siteForHost). */
export const siteForRequest = (headers: Pick<Headers, "get">) => siteForHost(requestHost(headers));

// Every request asks it: built once (preparedStatement in db/client.ts).
const siteOrDefault = preparedStatement((db) =>
  db
    .select()
    .from(sites)
    .where(or(eq(sites.domain, sql.placeholder("domain")), eq(sites.isDefault, true)))
    .orderBy(asc(sites.id))
    .prepare("site_for_host"),
);

/**
 * The site a request belongs to: the one whose domain is the host, else the default site
 * (which serves localhost and unknown hosts), else the oldest site.
 */
export async function siteForHost(host: string | null | undefined): Promise<Site> {
  const domain = normalizeHost(host);
  const candidates = await siteOrDefault().execute({ domain });
  const exact = candidates.find((s) => s.domain === domain);
  const fallback = exact ?? candidates.find((s) => s.isDefault);
  if (fallback) return fallback;
  const [first] = await db.select().from(sites).orderBy(asc(sites.id)).limit(1);
  if (!first) throw new Error("No site configured: run `npm run db:migrate` (it creates the default site).");
  return first;
}
