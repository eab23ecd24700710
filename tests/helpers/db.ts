import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { closeDb, openDatabase } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { env } from "@/lib/env";

const GLOBAL_KEY = Symbol.for("chora.db");
let dropUrl: { admin: string; name: string } | null = null;

/**
 * Every test file gets a database of its own, migrated from zero: a new database on the
 * PostgreSQL server when DATABASE_URL is set (CI), an in-memory PGlite otherwise.
 */
export async function openTestDb() {
  let handle: ReturnType<typeof openDatabase>;
  if (env.DATABASE_URL) {
    const name = `chora_t_${randomBytes(6).toString("hex")}`;
    await withAdmin(env.DATABASE_URL, (sql) => sql.unsafe(`create database ${name}`));
    const url = new URL(env.DATABASE_URL);
    url.pathname = `/${name}`;
    dropUrl = { admin: env.DATABASE_URL, name };
    handle = openDatabase({ url: url.toString() });
  } else {
    handle = openDatabase({ pgliteDir: "memory://" });
  }
  await runMigrations(handle.db, handle.driver);
  (globalThis as Record<symbol, unknown>)[GLOBAL_KEY] = handle;
  return handle;
}

export async function closeTestDb() {
  await closeDb();
  if (dropUrl) {
    const { admin, name } = dropUrl;
    await withAdmin(admin, (sql) => sql.unsafe(`drop database if exists ${name} with (force)`));
    dropUrl = null;
  }
}

export async function withAdmin<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}
