import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import type { NextConfig } from "next";
import { ACTION_BODY_LIMIT, csvFitsImport, MAX_CSV_BYTES } from "@/lib/newsletters/import-limits";

// React's own encoder for a server action's arguments, the one Next's client uses (untyped).
const { encodeReply } = createRequire(import.meta.url)("next/dist/compiled/react-server-dom-turbopack/client.node.js") as {
  encodeReply: (value: unknown) => Promise<string | FormData>;
};
// The config as `next build` and `next start` load it (a module TypeScript does not type).
const configModule = new URL("../../next.config.mjs", import.meta.url).href;
const { default: nextConfig, ACTION_BODY_LIMIT: configured } = (await import(/* @vite-ignore */ configModule)) as { default: NextConfig; ACTION_BODY_LIMIT: number };

/** The body the import screen's action call sends, as React encodes it (a JSON string here). */
async function actionBody(csv: string, fileName = "") {
  const body = await encodeReply([{ group: 2147483647, csv, delimiter: "semicolon", status: "unconfirmed", fileName, locale: "fr" }]);
  expect(typeof body).toBe("string");
  return Buffer.byteLength(body as string);
}

describe("the import's size against the server action body limit", () => {
  it("next.config.mjs sets the limit the import is sized for", () => {
    expect(configured).toBe(ACTION_BODY_LIMIT);
    expect(nextConfig.experimental?.serverActions?.bodySizeLimit).toBe(ACTION_BODY_LIMIT);
    expect(ACTION_BODY_LIMIT).toBeGreaterThanOrEqual(2 * MAX_CSV_BYTES + 16 * 1024);
  });

  it("a CSV of MAX_CSV_BYTES fits once escaped, whatever quotes, backslashes or line breaks it holds", async () => {
    const longName = `${'"'.repeat(250)}.csv`;
    for (const unit of ['"', "\\", "\n", "\r\n", "\t", '"\\', "é", "€", "😀", "$"]) {
      const csv = `$${unit.repeat(Math.floor((MAX_CSV_BYTES - 1) / Buffer.byteLength(unit)))}`;
      expect(Buffer.byteLength(csv)).toBeLessThanOrEqual(MAX_CSV_BYTES);
      expect(csvFitsImport(csv), JSON.stringify(unit)).toBe(true);
      expect(await actionBody(csv, longName), JSON.stringify(unit)).toBeLessThanOrEqual(ACTION_BODY_LIMIT);
    }
  });

  it("what would not fit is refused by csvFitsImport (so the person reads csvTooBig), never sent", async () => {
    expect(csvFitsImport("x".repeat(MAX_CSV_BYTES + 1))).toBe(false);
    // Other control characters take six bytes each once escaped (\u0001).
    const controls = "\u0001".repeat(400_000);
    expect(csvFitsImport(controls)).toBe(false);
    expect(await actionBody(controls)).toBeGreaterThan(ACTION_BODY_LIMIT);
    expect(csvFitsImport("\u0001".repeat(300_000))).toBe(true); // 1,800,000 bytes escaped: just fits
    expect(csvFitsImport("\u0001".repeat(300_001))).toBe(false);
    expect(await actionBody("\u0001".repeat(300_000), `${"\u0001".repeat(251)}.csv`)).toBeLessThanOrEqual(ACTION_BODY_LIMIT);
  });
});
