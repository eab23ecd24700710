import type { Actor } from "@/lib/auth/roles";

/**
 * Which site's rows a caller sees on a list screen: their own; a superuser may ask for another
 * site, or for all of them (null). An admin's `site` filter is ignored, never an error.
 */
export function scopeSiteId(actor: Pick<Actor, "role">, currentSiteId: number, site: "all" | number | undefined): number | null {
  if (actor.role !== "superuser" || site === undefined) return currentSiteId;
  return site === "all" ? null : site;
}
