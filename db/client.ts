import path from "node:path";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "@/lib/env";
import * as schema from "./schema";

/**
 * The one `db` the application uses. DATABASE_URL → PostgreSQL through `postgres`;
 * unset → PGlite persisted under DATA_DIR. Both speak the same Drizzle query API, so the
 * PGlite database is typed as the postgres-js one; the only behavioural difference
 * (raw `execute` result shape) is hidden by `rows()` below.
 */
export type Database = PostgresJsDatabase<typeof schema>;
/** The handle a `db.transaction` callback receives: what must commit or roll back together takes it. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

type Handle = { db: Database; driver: "postgres" | "pglite"; close: () => Promise<void> };

const GLOBAL_KEY = Symbol.for("chora.db");
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: Handle };

export function openDatabase(options: { url?: string; pgliteDir?: string } = {}): Handle {
  const url = options.url ?? env.DATABASE_URL;
  if (url) {
    const client = postgres(url, { max: 10, onnotice: () => {} });
    return {
      db: drizzlePostgres(client, { schema, casing: "snake_case" }),
      driver: "postgres",
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dir = options.pgliteDir ?? env.PGLITE_DIR ?? path.join(env.dataDir, "pglite");
  if (!dir.startsWith("memory://")) mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir);
  return {
    db: drizzlePglite(client, { schema, casing: "snake_case" }) as unknown as Database,
    driver: "pglite",
    close: () => client.close(),
  };
}

/** One handle per process: Next may load this module from several bundles, PGlite allows one opener. */
function handle(): Handle {
  const g = globalThis as GlobalWithDb;
  g[GLOBAL_KEY] ??= openDatabase();
  return g[GLOBAL_KEY];
}

export const db: Database = new Proxy({} as Database, {
  get(_target, prop) {
    const real = handle().db as unknown as Record<string | symbol, unknown>;
    const value = real[prop];
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(real) : value;
  },
});

export const dbDriver = () => handle().driver;
export const closeDb = async () => {
  const g = globalThis as GlobalWithDb;
  const h = g[GLOBAL_KEY];
  delete g[GLOBAL_KEY];
  await h?.close();
};

/** Raw `db.execute` returns an array on postgres-js and `{ rows }` on PGlite. */
export function rows<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * A statement built once per database handle (Drizzle's prepared statements, values passed as
 * `sql.placeholder`), for the few that run on every request: building a query costs more CPU
 * than PostgreSQL spends running these. Keyed by handle, so a reopened database rebuilds it.
 */
export function preparedStatement<T>(build: (db: Database) => T): () => T {
  const built = new WeakMap<Handle, T>();
  return () => {
    const h = handle();
    let statement = built.get(h);
    if (statement === undefined) built.set(h, (statement = build(h.db)));
    return statement;
  };
}
