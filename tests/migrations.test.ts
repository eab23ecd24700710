import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db as appDb, openDatabase, rows, type Database } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { sites, translationOverrides, users } from "@/db/schema";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { env } from "@/lib/env";
import { languageOf, newestLanguage } from "@/lib/newsletters/audience-language";
import { firstRun } from "@/lib/setup/first-run";
import { withAdmin } from "./helpers/db";

type Handle = ReturnType<typeof openDatabase>;

const journal = JSON.parse(readFileSync(path.join(process.cwd(), "db/migrations/meta/_journal.json"), "utf8")) as {
  entries: { tag: string; when: number }[];
};
const EXPECTED_TABLES = ["sites", "users", "translation_overrides", "rate_limits"];

/**
 * A PGlite database of its own. openDatabase() prefers env.DATABASE_URL over `pgliteDir`, so
 * under CI (DATABASE_URL set) the variable is hidden for the duration of the call.
 */
function openPglite(): Handle {
  const saved = env.DATABASE_URL;
  env.DATABASE_URL = undefined;
  try {
    return openDatabase({ pgliteDir: "memory://" });
  } finally {
    env.DATABASE_URL = saved;
  }
}

async function tablesIn(db: Database): Promise<string[]> {
  const result = rows<{ name: string }>(
    await db.execute(sql`select table_name as name from information_schema.tables where table_schema = 'public'`),
  );
  return result.map((r) => r.name).sort();
}

async function appliedMigrations(db: Database) {
  return rows<{ hash: string; created_at: string | number }>(
    await db.execute(sql`select hash, created_at from drizzle.__drizzle_migrations order by id`),
  );
}

async function expectFullyMigrated(db: Database) {
  expect(await tablesIn(db)).toEqual(expect.arrayContaining(EXPECTED_TABLES));
  const applied = await appliedMigrations(db);
  expect(applied).toHaveLength(journal.entries.length);
  // drizzle records each file's journal timestamp: one row per file, none missing, none extra.
  expect(applied.map((r) => Number(r.created_at)).sort()).toEqual(journal.entries.map((e) => e.when).sort());
}

/** Migrating again must not fail, add a row to the journal table, or touch the data. */
async function expectSecondRunIsNoop(handle: Handle) {
  await handle.db.insert(sites).values({ domain: "kept.example.org", name: "Kept" });
  const before = await appliedMigrations(handle.db);
  await runMigrations(handle.db, handle.driver);
  expect(await appliedMigrations(handle.db)).toEqual(before);
  const kept = await handle.db.select().from(sites).where(eq(sites.domain, "kept.example.org"));
  expect(kept).toHaveLength(1);
}

const opened: Handle[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

describe("migrations on PGlite", () => {
  it("apply from zero and record one row per migration file", async () => {
    const handle = openPglite();
    opened.push(handle);
    expect(handle.driver).toBe("pglite");
    expect(await tablesIn(handle.db)).toEqual([]);
    await runMigrations(handle.db, handle.driver);
    await expectFullyMigrated(handle.db);
  });

  it("running them twice is a no-op", async () => {
    const handle = openPglite();
    opened.push(handle);
    await runMigrations(handle.db, handle.driver);
    await expectSecondRunIsNoop(handle);
    await expectFullyMigrated(handle.db);
  });
});

describe("data migrations", () => {
  /** The statements of one migration file, to run again over rows a test put in place. */
  const statementsOf = (tag: string) => readFileSync(path.join(process.cwd(), "db/migrations", `${tag}.sql`), "utf8").split("--> statement-breakpoint");

  it("0022 keeps a site's wording of the old 'filters not understood' labels under the one new key", async () => {
    const handle = openPglite();
    opened.push(handle);
    await runMigrations(handle.db, handle.driver);
    const [a, b] = await handle.db.insert(sites).values([{ domain: "a.example.org", name: "A" }, { domain: "b.example.org", name: "B" }]).returning();
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
    await handle.db.insert(translationOverrides).values([
      // A: two old keys in French (the later one wins), one in English.
      { siteId: a.id, locale: "fr", key: "users.invalidFilters", value: "Filtre ignoré (users)", updatedAt: at(1) },
      { siteId: a.id, locale: "fr", key: "queue.invalidFilters", value: "Filtre ignoré (queue)", updatedAt: at(2) },
      { siteId: a.id, locale: "en", key: "subscriptions.optOuts.invalidFilters", value: "Ignored: {names}", updatedAt: at(1) },
      { siteId: a.id, locale: "en", key: "users.title", value: "People", updatedAt: at(1) },
      // B: already has the new key, which stays.
      { siteId: b.id, locale: "fr", key: "smsReplies.invalidFilters", value: "old", updatedAt: at(3) },
      { siteId: b.id, locale: "fr", key: "manage.invalidFilters", value: "new", updatedAt: at(1) },
    ]);
    for (const statement of statementsOf("0022_moved_invalid_filters_label")) await handle.db.execute(sql.raw(statement));
    const kept = await handle.db
      .select({ site: translationOverrides.siteId, locale: translationOverrides.locale, key: translationOverrides.key, value: translationOverrides.value })
      .from(translationOverrides)
      .orderBy(translationOverrides.siteId, translationOverrides.locale, translationOverrides.key);
    expect(kept).toEqual([
      { site: a.id, locale: "en", key: "manage.invalidFilters", value: "Ignored: {names}" },
      { site: a.id, locale: "en", key: "users.title", value: "People" },
      { site: a.id, locale: "fr", key: "manage.invalidFilters", value: "Filtre ignoré (queue)" },
      { site: b.id, locale: "fr", key: "manage.invalidFilters", value: "new" },
    ]);
  });

  it("0027 moves a site's wording of the queue's opted-out note to its failure reason", async () => {
    const handle = openPglite();
    opened.push(handle);
    await runMigrations(handle.db, handle.driver);
    const [a, b] = await handle.db.insert(sites).values([{ domain: "a.example.org", name: "A" }, { domain: "b.example.org", name: "B" }]).returning();
    await handle.db.insert(translationOverrides).values([
      { siteId: a.id, locale: "fr", key: "queue.notes.optedOut", value: "Pas envoyé : STOP reçu." },
      { siteId: a.id, locale: "fr", key: "queue.title", value: "File" },
      // B had also added the new key by hand: it stays, and the migration does not fail on it.
      { siteId: b.id, locale: "fr", key: "queue.notes.optedOut", value: "old" },
      { siteId: b.id, locale: "fr", key: "queue.failure.reasons.optedOut", value: "new" },
    ]);
    for (const statement of statementsOf("0027_moved_opted_out_label")) await handle.db.execute(sql.raw(statement));
    const kept = await handle.db
      .select({ site: translationOverrides.siteId, key: translationOverrides.key, value: translationOverrides.value })
      .from(translationOverrides)
      .orderBy(translationOverrides.siteId, translationOverrides.key);
    expect(kept).toEqual([
      { site: a.id, key: "queue.failure.reasons.optedOut", value: "Pas envoyé : STOP reçu." },
      { site: a.id, key: "queue.title", value: "File" },
      { site: b.id, key: "queue.failure.reasons.optedOut", value: "new" },
    ]);
  });

  it("0029 keeps a site's wording of the invalid confirmation link message under its new key", async () => {
    const handle = openPglite();
    opened.push(handle);
    await runMigrations(handle.db, handle.driver);
    const [a, b] = await handle.db.insert(sites).values([{ domain: "a.example.org", name: "A" }, { domain: "b.example.org", name: "B" }]).returning();
    await handle.db.insert(translationOverrides).values([
      { siteId: a.id, locale: "fr", key: "newsletter.confirm.invalid", value: "Lien mort ({days} jours)" },
      { siteId: a.id, locale: "en", key: "newsletter.confirm.title", value: "Confirm" },
      // B: already has the new key, which stays.
      { siteId: b.id, locale: "en", key: "newsletter.confirm.invalid", value: "old" },
      { siteId: b.id, locale: "en", key: "errors.subscriptionLinkInvalid", value: "new" },
    ]);
    for (const statement of statementsOf("0029_moved_subscription_link_invalid")) await handle.db.execute(sql.raw(statement));
    const kept = await handle.db
      .select({ site: translationOverrides.siteId, locale: translationOverrides.locale, key: translationOverrides.key, value: translationOverrides.value })
      .from(translationOverrides)
      .orderBy(translationOverrides.siteId, translationOverrides.locale, translationOverrides.key);
    expect(kept).toEqual([
      { site: a.id, locale: "en", key: "newsletter.confirm.title", value: "Confirm" },
      { site: a.id, locale: "fr", key: "errors.subscriptionLinkInvalid", value: "Lien mort ({days} jours)" },
      { site: b.id, locale: "en", key: "errors.subscriptionLinkInvalid", value: "new" },
    ]);
  });

  it("0035 counts the subscriptions already there, per site, group and status", async () => {
    const handle = openPglite();
    opened.push(handle);
    await runMigrations(handle.db, handle.driver);
    const [a, b] = await handle.db.insert(sites).values([{ domain: "a.example.org", name: "A" }, { domain: "b.example.org", name: "B" }]).returning();
    await handle.db.execute(sql`
      insert into subscriptions (site_id, group_id, email, status, source) values
        (${a.id}, 1, 'ann@example.org', 'confirmed', 'screen'), (${a.id}, 1, 'bob@example.org', 'confirmed', 'screen'),
        (${a.id}, 1, 'cid@example.org', 'unsubscribed', 'screen'), (${a.id}, 2, 'ann@example.org', 'unconfirmed', 'signup'),
        (${b.id}, 1, 'ann@example.org', 'confirmed', 'import')`);
    // As if the rows were there before the triggers: only the migration's own count fills the table.
    await handle.db.execute(sql`delete from subscription_counts`);
    const fill = statementsOf("0035_newsletter_scale").find((s) => s.includes("FROM subscriptions GROUP BY"))!;
    await handle.db.execute(sql.raw(fill));
    const counts = rows<Record<string, unknown>>(await handle.db.execute(sql`select site_id, group_id, status, n::int as n from subscription_counts order by site_id, group_id, status`));
    expect(counts).toEqual([
      { site_id: a.id, group_id: 1, status: "confirmed", n: 2 },
      { site_id: a.id, group_id: 1, status: "unsubscribed", n: 1 },
      { site_id: a.id, group_id: 2, status: "unconfirmed", n: 1 },
      { site_id: b.id, group_id: 1, status: "confirmed", n: 1 },
    ]);
  });

  it("0032 keeps every confirmation link already mailed working, as a ticket for the groups that carried it", async () => {
    const handle = openPglite();
    opened.push(handle);
    await runMigrations(handle.db, handle.driver);
    const [site] = await handle.db.insert(sites).values({ domain: "a.example.org", name: "A" }).returning();
    // The columns the links lived in before 0032, with rows as signups left them.
    await handle.db.execute(sql`alter table subscriptions add column confirm_token_hash text, add column confirm_sent_at timestamptz`);
    await handle.db.execute(sql`
      insert into subscriptions (site_id, group_id, email, locale, status, source, consent_at, consent_ip, consent_text, confirm_token_hash, confirm_sent_at) values
        (${site.id}, 1, 'ann@example.org', 'en', 'unconfirmed', 'signup', '2026-11-20T10:00:00Z', '198.51.100.1', 'I agree', 'hash-ann', '2026-11-20T10:00:01Z'),
        (${site.id}, 2, 'ann@example.org', 'en', 'unsubscribed', 'signup', '2026-11-20T10:00:00Z', '198.51.100.1', 'I agree', 'hash-ann', '2026-11-20T10:00:01Z'),
        (${site.id}, 3, 'ann@example.org', 'en', 'confirmed', 'signup', '2026-11-20T10:00:00Z', '198.51.100.1', 'I agree', 'hash-ann', '2026-11-20T10:00:01Z'),
        (${site.id}, 1, 'bob@example.org', 'fr', 'confirmed', 'signup', null, null, null, 'hash-bob', '2026-11-20T11:00:00Z'),
        (${site.id}, 1, 'cid@example.org', null, 'unconfirmed', 'screen', null, null, null, null, null)`);
    const copy = statementsOf("0032_signup_confirmations").find((s) => s.includes('INSERT INTO "signup_confirmations"'))!;
    await handle.db.execute(sql.raw(copy));
    const tickets = rows<Record<string, unknown>>(await handle.db.execute(sql`select token_hash, email, group_ids, locale, consent_ip, consent_text, to_char(consent_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as consent_at, to_char(sent_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as sent_at from signup_confirmations order by token_hash`));
    expect(tickets).toEqual([
      {
        token_hash: "hash-ann",
        email: "ann@example.org",
        group_ids: [1, 2],
        locale: "en",
        consent_ip: "198.51.100.1",
        consent_text: "I agree",
        consent_at: "2026-11-20 10:00:00",
        sent_at: "2026-11-20 10:00:01",
      },
    ]);
  });

  it("0038 dates each stated language by its subscription's last update, so everyone keeps the language they read", async () => {
    const handle = openPglite();
    opened.push(handle);
    await runMigrations(handle.db, handle.driver);
    const [site] = await handle.db.insert(sites).values({ domain: "a.example.org", name: "A" }).returning();
    // The table as it was before 0038; the most recently updated subscription gave the language.
    await handle.db.execute(sql`alter table subscriptions drop column locale_set_at`);
    await handle.db.execute(sql`
      insert into subscriptions (site_id, group_id, email, locale, status, source, updated_at) values
        (${site.id}, 1, 'ann@example.org', 'fr', 'confirmed', 'signup', '2026-10-01T10:00:00Z'),
        (${site.id}, 2, 'ann@example.org', 'en', 'confirmed', 'signup', '2026-11-01T10:00:00Z'),
        (${site.id}, 1, 'bob@example.org', 'en', 'confirmed', 'signup', '2026-11-01T10:00:00Z'),
        (${site.id}, 2, 'bob@example.org', 'fr', 'confirmed', 'import', '2026-10-01T10:00:00Z'),
        (${site.id}, 1, 'cid@example.org', null, 'confirmed', 'screen', '2026-11-01T10:00:00Z')`);
    for (const statement of statementsOf("0038_subscription_locale_set_at")) await handle.db.execute(sql.raw(statement));
    const dated = rows<{ email: string; group_id: number; same: boolean | null }>(
      await handle.db.execute(sql`select email, group_id, locale_set_at = updated_at as same from subscriptions order by email, group_id`),
    );
    expect(dated).toEqual([
      { email: "ann@example.org", group_id: 1, same: true },
      { email: "ann@example.org", group_id: 2, same: true },
      { email: "bob@example.org", group_id: 1, same: true },
      { email: "bob@example.org", group_id: 2, same: true },
      // Never stated: stays undated (it reads the site's language, and loses to any stated one).
      { email: "cid@example.org", group_id: 1, same: null },
    ]);
    // Bob's English was the newer statement though on the older row: still English, not the row order's French.
    const read = rows<{ email: string; lang: string }>(
      await handle.db.execute(sql`select s.email, ${newestLanguage(sql`s`, languageOf("fr"))} as lang from subscriptions s group by s.email order by s.email`),
    );
    expect(read).toEqual([
      { email: "ann@example.org", lang: "en" },
      { email: "bob@example.org", lang: "en" },
      { email: "cid@example.org", lang: "fr" },
    ]);
  });

  it("0033 ties each reset link already mailed to its account's own site", async () => {
    const handle = openPglite();
    opened.push(handle);
    await runMigrations(handle.db, handle.driver);
    const [a, b] = await handle.db.insert(sites).values([{ domain: "a.example.org", name: "A" }, { domain: "b.example.org", name: "B" }]).returning();
    // The table as it was before 0033, with a link for a member of each site.
    await handle.db.execute(sql`alter table password_resets drop column site_id`);
    await handle.db.execute(sql`
      insert into users (site_id, email, password_hash) values (${a.id}, 'ann@example.org', 'x'), (${b.id}, 'bob@example.org', 'x')`);
    await handle.db.execute(sql`
      insert into password_resets (token_hash, user_id, expires_at)
      select 'hash-' || split_part(email, '@', 1), id, now() + interval '1 hour' from users`);
    for (const statement of statementsOf("0033_password_reset_site")) await handle.db.execute(sql.raw(statement));
    const tied = rows<{ token_hash: string; site_id: number }>(await handle.db.execute(sql`select token_hash, site_id from password_resets order by token_hash`));
    expect(tied).toEqual([
      { token_hash: "hash-ann", site_id: a.id },
      { token_hash: "hash-bob", site_id: b.id },
    ]);
  });
});

// A plain `if`, not `it.runIf`: without a server there is simply no such test, and no skip noise.
if (env.DATABASE_URL) {
  const adminUrl = env.DATABASE_URL;
  describe("migrations on PostgreSQL", () => {
    async function throwaway<T>(fn: (handle: Handle) => Promise<T>) {
      const name = `chora_mig_${randomBytes(6).toString("hex")}`;
      await withAdmin(adminUrl, (s) => s.unsafe(`create database ${name}`));
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const handle = openDatabase({ url: url.toString() });
      try {
        return await fn(handle);
      } finally {
        await handle.close();
        await withAdmin(adminUrl, (s) => s.unsafe(`drop database if exists ${name} with (force)`));
      }
    }

    it("apply from zero and record one row per migration file", async () => {
      await throwaway(async (handle) => {
        expect(handle.driver).toBe("postgres");
        expect(await tablesIn(handle.db)).toEqual([]);
        await runMigrations(handle.db, handle.driver);
        await expectFullyMigrated(handle.db);
      });
    });

    it("running them twice is a no-op", async () => {
      await throwaway(async (handle) => {
        await runMigrations(handle.db, handle.driver);
        await expectSecondRunIsNoop(handle);
        await expectFullyMigrated(handle.db);
      });
    });
  });
}

describe("firstRun", () => {
  // The file's own test database (PGlite, or PostgreSQL under CI), emptied before each case.
  async function freshDb() {
    await appDb.delete(translationOverrides);
    await appDb.delete(users);
    await appDb.delete(sites);
    return appDb;
  }

  it("creates the default site and exactly one superuser whose password verifies", async () => {
    const db = await freshDb();
    const created = await firstRun(db);
    expect(created).not.toBeNull();
    expect(created!.generated).toBe(!env.ADMIN_PASSWORD);
    expect(created!.password.length).toBeGreaterThanOrEqual(8);

    const allSites = await db.select().from(sites);
    expect(allSites).toHaveLength(1);
    expect(allSites[0]).toMatchObject({ domain: env.DEFAULT_SITE_DOMAIN, isDefault: true, defaultLocale: env.DEFAULT_LOCALE });

    const supers = await db.select().from(users).where(eq(users.role, "superuser"));
    expect(supers).toHaveLength(1);
    expect(supers[0]).toMatchObject({ email: created!.email, siteId: allSites[0].id, disabledAt: null });
    expect(await verifyPassword(created!.password, supers[0].passwordHash)).toBe(true);
    expect(await verifyPassword(`${created!.password}x`, supers[0].passwordHash)).toBe(false);
  });

  it("is idempotent: a second run creates nothing and returns null", async () => {
    const db = await freshDb();
    const first = await firstRun(db);
    const [hashBefore] = await db.select({ hash: users.passwordHash }).from(users);
    expect(await firstRun(db)).toBeNull();
    expect(await firstRun(db)).toBeNull();
    expect(await db.select().from(sites)).toHaveLength(1);
    const all = await db.select().from(users);
    expect(all).toHaveLength(1);
    expect(all[0].passwordHash).toBe(hashBefore.hash);
    expect(await verifyPassword(first!.password, all[0].passwordHash)).toBe(true);
  });

  it("keeps an existing site instead of adding a default one", async () => {
    const db = await freshDb();
    const [site] = await db.insert(sites).values({ domain: "existing.example.org", name: "Existing" }).returning();
    await firstRun(db);
    expect(await db.select().from(sites)).toHaveLength(1);
    const [admin] = await db.select().from(users).where(eq(users.role, "superuser"));
    expect(admin.siteId).toBe(site.id);
  });

  it("returns credentials that really sign in when an account already uses the admin email", async () => {
    // E.g. the only superuser was demoted, or someone registered admin@example.org as a member
    // before the first start. Whatever firstRun prints must be the password of that account.
    const db = await freshDb();
    const [site] = await db.insert(sites).values({ domain: "localhost", name: "Default", isDefault: true }).returning();
    const email = (env.ADMIN_EMAIL ?? "admin@example.org").toLowerCase();
    await db.insert(users).values({ siteId: site.id, email, name: "Someone", role: "member", passwordHash: await hashPassword("the member's own password") });
    const created = await firstRun(db);
    expect(created).not.toBeNull();
    const [account] = await db.select().from(users).where(eq(users.email, created!.email));
    expect(account.role).toBe("superuser");
    expect(await verifyPassword(created!.password, account.passwordHash)).toBe(true);
  });
});
