// Runs once when the server starts, before it serves a request. Validating the environment here
// makes a misconfigured production server (e.g. no AUTH_SECRET) stop with a clear message; then
// the database is migrated and a fresh install gets its default site and first superuser, on
// the server's own connection (opening PGlite twice per start costs seconds); then, when
// Inngest is not configured, the embedded scheduler starts sending the queue; and every SMPP
// account a site sends through is bound, so its receipts and STOP replies are heard.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  const { holdEmbeddedDatabase } = await import("./lib/queue/embedded-lock");
  holdEmbeddedDatabase();
  const { prepareSharedDatabase } = await import("./lib/setup/prepare");
  await prepareSharedDatabase(`http://localhost:${env.PORT}`);
  const { startScheduler } = await import("./lib/queue/scheduler");
  const { queueDueSends } = await import("./lib/newsletters/send");
  startScheduler([queueDueSends]);
  const { listenForSmsReplies } = await import("./lib/sms/resolve");
  void listenForSmsReplies().catch((error) => console.warn("[sms] could not listen for receipts and replies", error));
}
