import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { siteForHost } from "./resolve";

/** The current request's site, looked up once per request. */
export const currentSite = cache(async () => {
  const h = await headers();
  return siteForHost(h.get("host"));
});
