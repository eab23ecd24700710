import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import type { Site } from "@/db/schema";
import { setOverride } from "@/lib/i18n/overrides";
import { eraseSubscriber } from "@/lib/newsletters/erase";
import { signup } from "@/lib/newsletters/signup";
import { makeSite } from "../helpers/factories";

/**
 * README: "erase a person" deletes every subscription and consent record of an address on the
 * site, "and keeps only a keyed hash of it". Every signup through "Receive our news" also counts
 * the confirmation emails sent to the address, in rate_limits under the key
 * `signup:mail:<site>:<address>`, a row nothing ever deletes: after the erasure the address is
 * still there in clear.
 */
let site: Site;
beforeAll(async () => {
  site = await makeSite({ domain: "erase-rl.example.org" });
  await setOverride(site.id, "fr", "signup_opt1", "Nouvelles");
});

const tablesHolding = async (address: string) =>
  rows<{ key: string }>(await db.execute(sql`select key from rate_limits where key like ${`%${address}%`}`)).map((r) => r.key);

describe("erasing a person who signed up through the form", () => {
  it("leaves the address nowhere in clear", async () => {
    await signup(site, { email: "ann@example.org", groupIds: [1], locale: "fr", ip: "203.0.113.20", userAgent: "x", consentText: "Oui" });
    expect(await tablesHolding("ann@example.org")).not.toEqual([]);

    await eraseSubscriber(site.id, "ann@example.org", "admin:1");
    expect(await tablesHolding("ann@example.org")).toEqual([]);
  });
});
