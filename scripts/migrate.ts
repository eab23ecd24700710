// npm run db:migrate: apply committed migrations (and create the default site and first superuser).
import { env } from "@/lib/env";
import { prepareDatabase } from "@/lib/setup/prepare";

const driver = await prepareDatabase(`http://localhost:${env.PORT}`);
console.log(`chora: database up to date (${driver === "pglite" ? `embedded PGlite in ${env.dataDir}` : "PostgreSQL"})`);
