import type { Site } from "@/db/schema";
import { env } from "@/lib/env";

/** Absolute base URL of a site, for links in emails. Local hosts are served over http on PORT. */
export function siteBaseUrl(site: Pick<Site, "domain">): string {
  if (env.AUTH_URL && site.domain === new URL(env.AUTH_URL).hostname) return env.AUTH_URL.replace(/\/$/, "");
  return isLocalDomain(site.domain) ? `http://${site.domain}:${env.PORT}` : `https://${site.domain}`;
}

const isLocalDomain = (domain: string) => domain === "localhost" || /^127\.|^\[::1\]$/.test(domain);

/**
 * In production, the sites whose emailed links would point at this machine (a default site
 * left on `localhost`, as the first start makes it): nobody who reads the mail can open them.
 * The sites screen names them, so a superuser sets the real domain before mail goes out.
 */
export function sitesMailingLocalLinks<S extends Pick<Site, "domain">>(sites: S[]): S[] {
  if (env.NODE_ENV !== "production") return [];
  return sites.filter((s) => isLocalDomain(s.domain) && siteBaseUrl(s).startsWith("http://"));
}

/** The From of the site's automatic mail: its sender, else no-reply at its domain. */
export function siteSender(site: Pick<Site, "domain" | "name" | "senderName" | "senderEmail">) {
  const domain = site.domain.includes(".") ? site.domain : "example.org";
  return { fromName: site.senderName || site.name, fromAddress: site.senderEmail || `no-reply@${domain}` };
}
