import { afterEach, describe, expect, it, vi } from "vitest";
import { pacerFor } from "@/lib/sms/smpp-pacer";

// The ?tps= pacer on a clock of its own: the spacing it gives is exact here, where the loopback
// SMSC of tests/sms/smpp.test.ts sees it through the machine's scheduling.
afterEach(() => {
  vi.useRealTimers();
});

/** When each of `count` turns of `turn` is let through, on the fake clock, from the first one. */
async function departures(turn: () => Promise<void>, count: number): Promise<number[]> {
  const left: number[] = [];
  const turns = Array.from({ length: count }, () => turn().then(() => void left.push(performance.now())));
  await vi.advanceTimersByTimeAsync(10_000);
  await Promise.all(turns);
  return left.map((t) => t - left[0]);
}

describe("the SMPP submit pacer (?tps=)", () => {
  it("lets one submit go per 1/tps, the first at once", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "performance"] });
    const pacer = pacerFor(`pacer-a-${Math.random()}`, 20);
    expect(await departures(pacer.turn, 5)).toEqual([0, 50, 100, 150, 200]);
    pacer.release();
  });

  it("spaces from when the previous one left: a pause makes no burst after it", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "performance"] });
    const pacer = pacerFor(`pacer-b-${Math.random()}`, 10);
    await departures(pacer.turn, 1);
    await vi.advanceTimersByTimeAsync(1_000);
    // Long after the last one: the next goes at once, and the one after it waits its 100 ms.
    expect(await departures(pacer.turn, 3)).toEqual([0, 100, 200]);
    pacer.release();
  });

  it("gives the sessions of one account the slower rate while both are open, the faster one's after a release", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "performance"] });
    const account = `pacer-c-${Math.random()}`;
    const fast = pacerFor(account, 20);
    const slow = pacerFor(account, 10);
    expect(await departures(() => Promise.all([fast.turn(), slow.turn()]).then(() => {}), 2)).toEqual([0, 200]);
    slow.release();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await departures(fast.turn, 3)).toEqual([0, 50, 100]);
    fast.release();
  });
});
