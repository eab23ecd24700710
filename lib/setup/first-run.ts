import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { sites, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { env } from "@/lib/env";

/**
 * Makes a fresh database usable: the default site (serving localhost and unknown hosts) and a
 * first superuser. Idempotent: does nothing once they exist. Returns the generated password
 * when it made one, so the caller can print it exactly once.
 */
export async function firstRun(db: Database): Promise<{ email: string; password: string; generated: boolean } | null> {
  let [site] = await db.select().from(sites).limit(1);
  if (!site) {
    [site] = await db
      .insert(sites)
      .values({
        domain: env.DEFAULT_SITE_DOMAIN,
        name: "chora",
        defaultLocale: env.DEFAULT_LOCALE,
        senderName: "chora",
        senderEmail: `no-reply@${env.DEFAULT_SITE_DOMAIN.includes(".") ? env.DEFAULT_SITE_DOMAIN : "example.org"}`,
        isDefault: true,
      })
      .returning();
  }
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.role, "superuser")).limit(1);
  if (existing) return null;
  const email = (env.ADMIN_EMAIL ?? "admin@example.org").toLowerCase();
  const generated = !env.ADMIN_PASSWORD;
  const password = env.ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(password);
  // No superuser but the address has an account (the last superuser was demoted or disabled):
  // the operator restarting with it recovers access, so the printed password must be the one set.
  await db
    .insert(users)
    .values({ siteId: site.id, email, name: "Admin", role: "superuser", locale: site.defaultLocale, passwordHash })
    .onConflictDoUpdate({ target: users.email, set: { role: "superuser", disabledAt: null, passwordHash, updatedAt: new Date() } });
  return { email, password, generated };
}

export function printFirstRun(created: { email: string; password: string; generated: boolean }, baseUrl: string) {
  const lines = [
    "",
    "  chora: first superuser created",
    `    sign in at ${baseUrl}/sign-in`,
    `    email:    ${created.email}`,
    created.generated ? `    password: ${created.password}   (shown once: change it from your profile)` : "    password: the ADMIN_PASSWORD you set",
    "",
  ];
  console.log(lines.join("\n"));
}
