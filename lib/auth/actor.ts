import "server-only";
import { cache } from "react";
import { sessionIdentity } from "./session";
import { sessionAccount } from "./session-account";
import type { Actor } from "./roles";

/** The signed-in user of this request, as the database knows them now (see sessionAccount); null when signed out. */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const session = await sessionIdentity();
  return session ? sessionAccount(session) : null;
});
