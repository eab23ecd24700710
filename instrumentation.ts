// Runs once when the server starts. Validating the environment here makes a misconfigured
// production server (e.g. no AUTH_SECRET) stop at start-up with a clear message; then the
// embedded scheduler starts when Inngest is not configured.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  await import("./lib/env");
  const { holdEmbeddedDatabase } = await import("./lib/queue/embedded-lock");
  holdEmbeddedDatabase();
  const { startScheduler } = await import("./lib/queue/scheduler");
  startScheduler();
}
