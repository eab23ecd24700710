import { vi } from "vitest";

/**
 * lib/env.ts reads process.env once, and tests/helpers/setup.ts has already imported it (through
 * tests/helpers/db.ts) before a test file's own code runs, so `vi.hoisted` is too late for
 * queue settings. Stub the variables, drop the module cache and import the queue afresh: the
 * new lib/env sees the stubs, and the new db/client still finds the per-file test database,
 * which tests/helpers/db.ts keeps on globalThis.
 */
export async function loadQueue(vars: Record<string, string> = {}) {
  for (const [key, value] of Object.entries(vars)) vi.stubEnv(key, value);
  vi.resetModules();
  const [envModule, client, schema, enqueueModule, run, claimModule, record, deliver, manage, transport, compose] = await Promise.all([
    import("@/lib/env"),
    import("@/db/client"),
    import("@/db/schema"),
    import("@/lib/queue/enqueue"),
    import("@/lib/queue/run"),
    import("@/lib/queue/claim"),
    import("@/lib/queue/record"),
    import("@/lib/queue/deliver"),
    import("@/lib/queue/manage"),
    import("@/lib/mail/transport"),
    import("@/lib/mail/compose"),
  ]);
  vi.unstubAllEnvs(); // the modules have read them; spawned children must not inherit them
  const { db, rows } = client;
  const { queue, queueEvents } = schema;
  const { eq, asc, sql } = await import("drizzle-orm");

  /** The rows of one site, by id. */
  const siteRows = (siteId: number) => db.select().from(queue).where(eq(queue.siteId, siteId)).orderBy(asc(queue.id));
  const row = async (id: number) => (await db.select().from(queue).where(eq(queue.id, id)))[0];
  /** A row's history as `pending>sending>error>…` (from the first event's origin on). */
  const history = async (id: number) => {
    const events = await db.select().from(queueEvents).where(eq(queueEvents.queueId, id)).orderBy(asc(queueEvents.id));
    return events.length ? [events[0].fromStatus, ...events.map((e) => e.toStatus)].join(">") : "";
  };
  const events = (id: number) => db.select().from(queueEvents).where(eq(queueEvents.queueId, id)).orderBy(asc(queueEvents.id));
  const statusCounts = async (siteId?: number) => {
    const where = siteId ? sql`where site_id = ${siteId}` : sql``;
    const result = await db.execute(sql`select status, count(*)::int as n from queue ${where} group by status`);
    return Object.fromEntries(rows<{ status: string; n: number }>(result).map((r) => [r.status, Number(r.n)]));
  };

  return {
    env: envModule.env,
    db,
    rows,
    schema,
    ...enqueueModule,
    ...run,
    ...claimModule,
    ...record,
    ...deliver,
    ...manage,
    ...transport,
    ...compose,
    siteRows,
    row,
    history,
    events,
    statusCounts,
  };
}

export type QueueModules = Awaited<ReturnType<typeof loadQueue>>;

export const message = (overrides: Partial<{ subject: string; text: string; html: string | null; fromAddress: string; fromName: string; replyTo: string | null; headers: Record<string, string> }> = {}) => ({
  kind: "test",
  subject: "Hello {{name}}",
  text: "Hi {{name}}",
  html: "<p>Hi {{name}}</p>",
  fromName: "Org",
  fromAddress: "org@example.org",
  ...overrides,
});
