import type { Actor } from "@/lib/auth/roles";
import { getSite } from "@/lib/sites/manage";

/**
 * Which site's rows a caller sees on a list screen: their own; a superuser may ask for another
 * site, or for all of them (null). An admin's `site` filter is ignored, never an error.
 */
export function scopeSiteId(actor: Pick<Actor, "role">, currentSiteId: number, site: "all" | number | undefined): number | null {
  if (actor.role !== "superuser" || site === undefined) return currentSiteId;
  return site === "all" ? null : site;
}

/**
 * scopeSiteId for filters read from the URL (lib/url-filters.ts): a superuser's `site` that names
 * no site is a filter the list cannot read, so it is dropped from `filters` and named in `invalid`
 * like any other. Otherwise the list would show nothing, worded as if the site had no rows, under
 * a site menu showing another site. The function edits `parsed` in place.
 */
export async function scopeUrlSite<F extends { site?: "all" | number }>(
  actor: Pick<Actor, "role">,
  currentSiteId: number,
  parsed: { filters: F; invalid: (keyof F)[] },
): Promise<number | null> {
  const { filters, invalid } = parsed;
  // An admin's `site` is ignored: out of `filters` too, so that it neither counts as a filter
  // (the empty list's wording) nor rides along in the page's and the export's links.
  if (actor.role !== "superuser") delete filters.site;
  else if (typeof filters.site === "number" && !(await getSite(filters.site))) {
    delete filters.site;
    invalid.push("site");
  }
  return scopeSiteId(actor, currentSiteId, filters.site);
}
