type Pacer = { rates: Map<symbol, number>; lastAt: number; turns: Promise<void>; turn(): Promise<void> };
// On globalThis: Next may load this module from several bundles, and one account has one rate.
const PACERS_KEY = Symbol.for("chora.smppPacers");
const pacers = ((globalThis as typeof globalThis & { [PACERS_KEY]?: Map<string, Pacer> })[PACERS_KEY] ??= new Map<string, Pacer>());

/**
 * The submit pacer of an SMPP account (`?tps=`): submits take turns, each at least 1/tps after
 * the previous one actually left (not after its planned time: one held up by a bind or a busy
 * loop makes no burst after). Sessions of one account that give different rates share the
 * slowest of the sessions still open; `release` when a session closes.
 */
export function pacerFor(account: string, tps: number): { turn: () => Promise<void>; release: () => void } {
  let pacer = pacers.get(account);
  if (!pacer) {
    const created: Pacer = {
      rates: new Map(),
      lastAt: -Infinity,
      turns: Promise.resolve(),
      turn() {
        const next = created.turns.then(async () => {
          const spacingMs = 1000 / Math.min(...created.rates.values());
          const wait = created.lastAt + spacingMs - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
          created.lastAt = performance.now();
        });
        created.turns = next;
        return next;
      },
    };
    pacers.set(account, (pacer = created));
  }
  const session = Symbol(account);
  pacer.rates.set(session, tps);
  const shared = pacer;
  return {
    turn: () => (shared.rates.size ? shared.turn() : Promise.resolve()),
    release: () => void shared.rates.delete(session),
  };
}
