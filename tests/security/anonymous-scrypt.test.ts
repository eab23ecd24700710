import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Site } from "@/db/schema";
import { registerAction } from "@/app/[locale]/(public)/register/actions";
import { resetPasswordAction } from "@/app/[locale]/(public)/reset-password/actions";
import { actAs, fakeRequest } from "../helpers/request";
import { makeSite } from "../helpers/factories";
import { run } from "../helpers/actions";

/**
 * scrypt (N=2^15, 32 MiB, tens of ms of CPU on the libuv pool that sign-in shares) is the most
 * expensive thing an anonymous request can make the server do. Sign-in refuses an over-limit
 * attempt without hashing anything (lib/auth/credentials.ts, "refused unchecked"). Two other
 * anonymous doors hash first, whatever happens next:
 * - registerAction hashes the password before its per-address and per-IP limits are looked at,
 *   so requests past the limit, which do nothing else, still cost one scrypt each;
 * - resetPasswordAction hashes the new password before the token is looked at, so any made-up
 *   token (there is no limit at all) costs one scrypt.
 * Nothing is gained by it: neither answer depends on whether an account exists.
 */
const hashes = vi.hoisted(() => ({ count: 0 }));
vi.mock("@/lib/auth/password", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/auth/password")>();
  return {
    ...original,
    hashPassword: async (password: string) => {
      hashes.count++;
      return original.hashPassword(password);
    },
  };
});

let site: Site;
beforeAll(async () => {
  site = await makeSite({ domain: "scrypt-review.example.org", registrationOpen: true });
});

describe("anonymous requests that can do nothing still cost a password hash", () => {
  it("registerAction past its limits hashes nothing", async () => {
    actAs(null, site.domain);
    fakeRequest.ip = "198.51.100.77";
    const input = { name: "Flood", email: "flood@example.net", locale: "en", password: "long enough secret", confirmPassword: "long enough secret" };
    // The per-address limit is 3 mails per 10 minutes: these first ones do something.
    for (let i = 0; i < 3; i++) await run(registerAction, input);
    const before = hashes.count;
    for (let i = 0; i < 10; i++) expect(await run(registerAction, input)).toMatchObject({ ok: true });
    expect(hashes.count - before, "scrypt hashes spent on requests past the limit").toBe(0);
  });

  it("resetPasswordAction with a token that opens nothing hashes nothing", async () => {
    actAs(null, site.domain);
    const before = hashes.count;
    for (let i = 0; i < 10; i++) {
      const outcome = await run(resetPasswordAction, { token: `made-up-token-${i}-${"x".repeat(20)}`, password: "long enough secret", confirmPassword: "long enough secret" });
      expect(outcome).toMatchObject({ ok: false, error: { key: "errors.resetLinkInvalid" } });
    }
    expect(hashes.count - before, "scrypt hashes spent on made-up tokens").toBe(0);
  });
});
