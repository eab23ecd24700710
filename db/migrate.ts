import path from "node:path";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { Database } from "./client";

const migrationsFolder = path.join(process.cwd(), "db", "migrations");

/** Applies every committed drizzle-kit migration not yet applied. Safe to call at each start. */
export async function runMigrations(database: Database, driver: "postgres" | "pglite") {
  if (driver === "pglite") {
    await migratePglite(database as unknown as PgliteDatabase, { migrationsFolder });
  } else {
    await migratePostgres(database, { migrationsFolder });
  }
}
