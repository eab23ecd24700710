import { db, dbDriver, openDatabase } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { sealPlainSmsUrls } from "@/lib/sites/manage";
import { firstRun, printFirstRun } from "./first-run";

/** Migrate, then create what a fresh install needs, on the process's shared database handle. */
export async function prepareSharedDatabase(baseUrl: string) {
  await runMigrations(db, dbDriver());
  await sealPlainSmsUrls(db);
  const created = await firstRun(db);
  if (created) printFirstRun(created, baseUrl);
}

/** The same for a command (`npm run db:migrate`): opens and closes its own connection. */
export async function prepareDatabase(baseUrl: string) {
  const handle = openDatabase();
  try {
    await runMigrations(handle.db, handle.driver);
    await sealPlainSmsUrls(handle.db);
    const created = await firstRun(handle.db);
    if (created) printFirstRun(created, baseUrl);
    return handle.driver;
  } finally {
    await handle.close();
  }
}
