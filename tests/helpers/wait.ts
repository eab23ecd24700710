/**
 * Waits until `check` holds, polling every 50 ms: for what another process or socket does in
 * its own time (a reply from the SMSC stored, a runner's outcome written). Throws naming `what`
 * after `ms`, so a test that waits in vain says what it waited for.
 */
export async function until(what: string, check: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
