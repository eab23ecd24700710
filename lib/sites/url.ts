import type { Site } from "@/db/schema";
import { env } from "@/lib/env";

/** Absolute base URL of a site, for links in emails. Local hosts are served over http on PORT. */
export function siteBaseUrl(site: Pick<Site, "domain">): string {
  if (env.AUTH_URL && site.domain === new URL(env.AUTH_URL).hostname) return env.AUTH_URL.replace(/\/$/, "");
  const local = site.domain === "localhost" || /^127\.|^\[::1\]$/.test(site.domain);
  return local ? `http://${site.domain}:${env.PORT}` : `https://${site.domain}`;
}

/** The From of the site's automatic mail: its sender, else no-reply at its domain. */
export function siteSender(site: Pick<Site, "domain" | "name" | "senderName" | "senderEmail">) {
  const domain = site.domain.includes(".") ? site.domain : "example.org";
  return { fromName: site.senderName || site.name, fromAddress: site.senderEmail || `no-reply@${domain}` };
}
