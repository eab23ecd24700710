import { randomBytes } from "node:crypto";
import { db } from "@/db/client";
import { sites, users, type Role } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { setOverride } from "@/lib/i18n/overrides";
import { groupKey } from "@/lib/newsletters/group-numbers";

const uid = () => randomBytes(4).toString("hex");

export async function makeSite(overrides: Partial<typeof sites.$inferInsert> = {}) {
  const [site] = await db
    .insert(sites)
    .values({ domain: `site-${uid()}.example.org`, name: `Site ${uid()}`, defaultLocale: "fr", ...overrides })
    .returning();
  return site;
}

let cachedHash: Promise<string> | undefined;
export const TEST_PASSWORD = "correct horse battery";

export async function makeUser(siteId: number, role: Role = "member", overrides: Partial<typeof users.$inferInsert> = {}) {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const [user] = await db
    .insert(users)
    .values({ siteId, role, email: `${role}-${uid()}@example.org`, name: `${role} ${uid()}`, passwordHash: await cachedHash, ...overrides })
    .returning();
  return user;
}

/** Subscriber groups `ids` of a site, labelled in both languages: adding people needs the group to exist. */
export async function makeGroups(siteId: number, ...ids: number[]) {
  for (const id of ids) for (const locale of ["fr", "en"] as const) await setOverride(siteId, locale, groupKey(id), `Group ${id}`);
}
