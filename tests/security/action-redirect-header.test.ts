import { validateHeaderValue } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { sites, users, type Site, type User } from "@/db/schema";
import { createUserAction } from "@/app/[locale]/manage/users/actions";
import { saveSiteAction } from "@/app/[locale]/manage/sites/actions";
import { actAs } from "../helpers/request";
import { makeSite, makeUser, TEST_PASSWORD } from "../helpers/factories";
import { run } from "../helpers/actions";

/**
 * createUserAction and saveSiteAction redirect to `${back}/<id>`, where `back` is a form field
 * checked only for starting with "/fr/" or "/en/". Next sends a server action's redirect in the
 * `x-action-redirect` response header (res.setHeader, which refuses CR, LF and characters beyond
 * Latin-1 with ERR_INVALID_CHAR): such a `back` makes the request end in a 500 after the user or
 * site was created, and the form's retry then says "email taken" / "domain taken".
 * The outcome must be a field error, or a redirect Next can actually send.
 */
const sendable = (url: string) => () => validateHeaderValue("x-action-redirect", `${url};push`);

let site: Site;
let admin: User;
let superuser: User;

beforeAll(async () => {
  site = await makeSite({ domain: "redirect-review.example.org" });
  admin = await makeUser(site.id, "admin");
  superuser = await makeUser(site.id, "superuser");
});

describe("a `back` field that cannot go in a response header", () => {
  for (const back of ["/en/manage/users\r\nSet-Cookie: chora=1", "/en/manage/users/\u3002evil"]) {
    it(`createUserAction with back=${JSON.stringify(back)} refuses it, or redirects somewhere Next can send`, async () => {
      actAs(admin.id, site.domain);
      const email = `redirect-${Math.random().toString(36).slice(2)}@example.org`;
      const outcome = await run(createUserAction, { name: "New", email, locale: "en", role: "member", password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD, back });
      if ("redirect" in outcome) expect(sendable(outcome.redirect)).not.toThrow();
      else {
        expect(outcome.ok).toBe(false);
        expect(await db.select().from(users).where(eq(users.email, email))).toEqual([]);
      }
    });
  }

  it("saveSiteAction (a new site) likewise", async () => {
    actAs(superuser.id, site.domain);
    const domain = `new-${Math.random().toString(36).slice(2)}.example.org`;
    const outcome = await run(saveSiteAction, { domain, name: "New", defaultLocale: "en", back: "/en/manage/sites\r\nX-Evil: 1" });
    if ("redirect" in outcome) expect(sendable(outcome.redirect)).not.toThrow();
    else {
      expect(outcome.ok).toBe(false);
      expect(await db.select().from(sites).where(eq(sites.domain, domain))).toEqual([]);
    }
  });
});
