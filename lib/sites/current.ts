import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { siteForRequest } from "./resolve";

/** The current request's site, looked up once per request. */
export const currentSite = cache(async () => {
  const h = await headers();
  return siteForRequest(h);
});
