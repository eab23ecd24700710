import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { sites } from "@/db/schema";
import { saveSiteAction } from "@/app/[locale]/manage/sites/actions";
import { siteForHost } from "@/lib/sites/resolve";
import { actAs } from "../helpers/request";
import { expectSuccess, run } from "../helpers/actions";
import { makeSite, makeUser } from "../helpers/factories";

/**
 * A site whose domain has non-ASCII letters (an IDN: `bücher-12.example`): browsers send its
 * Host in punycode (`xn--bcher-12-…`). The sites form refused the domain as people write it,
 * so the site could only be set up by someone who knows how to compute punycode.
 */
describe("an internationalised domain name typed in the sites form", () => {
  it("is accepted and stored as the host browsers send (punycode), which then opens the site", async () => {
    const home = await makeSite();
    const boss = await makeUser(home.id, "superuser");
    actAs(boss.id, home.domain);
    const outcome = await run(saveSiteAction, { domain: "Bücher-Idn.example", name: "Bücher", defaultLocale: "fr", back: "/fr/manage/sites" });
    expectSuccess(outcome);
    const [row] = await db.select().from(sites).where(eq(sites.domain, "xn--bcher-idn-q9a.example"));
    expect(row).toBeDefined();
    expect((await siteForHost("xn--bcher-idn-q9a.example")).id).toBe(row.id);
  });
});
