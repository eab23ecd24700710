import "server-only";
import { forbidden, redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { currentSite } from "@/lib/sites/current";
import { currentActor } from "./actor";
import { allowed, type Actor, type Requirement } from "./roles";

/**
 * For pages and layouts: the caller must meet `need` on the current site. Signed-out visitors
 * go to sign-in (and come back); signed-in people without the role get app/[locale]/forbidden.tsx
 * at the same address, with HTTP 403 (a redirect to a page of its own answered 200).
 */
export async function requirePage(need: Exclude<Requirement, "guest">, locale: string, returnTo: string) {
  const [site, actor] = await Promise.all([currentSite(), currentActor()]);
  if (!actor) redirect(`/${locale}/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (!allowed(actor, site.id, need)) forbidden();
  return { site, actor: actor as Actor };
}

/** For route handlers: the same check, answered with a status instead of a redirect. */
export async function requireRoute(need: Requirement): Promise<
  { ok: true; site: Awaited<ReturnType<typeof currentSite>>; actor: Actor | null } | { ok: false; status: 401 | 403 }
> {
  const [site, actor] = await Promise.all([currentSite(), currentActor()]);
  if (allowed(actor, site.id, need)) return { ok: true, site, actor };
  return { ok: false, status: actor ? 403 : 401 };
}

/**
 * "Access denied" when requirePage(need) will refuse the caller, else null: for the title in
 * generateMetadata, which resolves beside the page, so without it a 403 kept the refused page's
 * title (read first by a screen reader, shown in the tab and the history). Signed-out callers
 * are redirected to sign-in, so they get null.
 */
export async function refusedTitle(need: Exclude<Requirement, "guest">): Promise<string | null> {
  const [site, actor] = await Promise.all([currentSite(), currentActor()]);
  if (!actor || allowed(actor, site.id, need)) return null;
  return (await getTranslations("forbidden"))("title");
}
