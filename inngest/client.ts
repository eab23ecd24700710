import { Inngest } from "inngest";
import { env } from "@/lib/env";

/**
 * The one Inngest client. INNGEST_DEV=1 talks to a local Dev Server; INNGEST_EVENT_KEY and
 * INNGEST_SIGNING_KEY (and INNGEST_BASE_URL when self-hosted) talk to Inngest Cloud or a
 * self-hosted server.
 */
export const inngest = new Inngest({
  id: "chora",
  eventKey: env.INNGEST_EVENT_KEY,
  baseUrl: env.INNGEST_BASE_URL,
  isDev: env.INNGEST_DEV === "1" || env.INNGEST_DEV === "true" ? true : env.INNGEST_EVENT_KEY ? false : undefined,
});
