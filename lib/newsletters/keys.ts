import { randomBytes } from "node:crypto";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { subscriberKeys } from "@/db/schema";

/** A fresh unsubscribe token in SQL: 244 random bits hashed, unrelated to any id. */
export const sqlRandomToken = sql`encode(sha256((gen_random_uuid()::text || gen_random_uuid()::text)::bytea), 'hex')`;

/** The address's unsubscribe token on a site, created on first use. */
export async function unsubscribeToken(siteId: number, email: string): Promise<string> {
  await db.insert(subscriberKeys).values({ siteId, email, token: randomBytes(32).toString("hex") }).onConflictDoNothing();
  const [key] = await db.select({ token: subscriberKeys.token }).from(subscriberKeys).where(and(eq(subscriberKeys.siteId, siteId), eq(subscriberKeys.email, email)));
  return key.token;
}

/** Gives every address of `emails` (a SELECT of one `email` column) a token, in one statement. */
export async function ensureTokens(siteId: number, emails: SQL, tx: Pick<typeof db, "execute"> = db) {
  await tx.execute(sql`
    insert into subscriber_keys (site_id, email, token)
    select ${siteId}, e.email, ${sqlRandomToken} from (${emails}) as e
    on conflict (site_id, email) do nothing`);
}

export const unsubscribeUrl = (base: string, token: string) => `${base}/api/unsubscribe/${token}`;
