// Loaded once when the server starts: validating the environment here makes a misconfigured
// production server (e.g. no AUTH_SECRET) stop at start-up with a clear message.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./lib/env");
}
