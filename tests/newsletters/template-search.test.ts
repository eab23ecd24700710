import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { messageTemplates, type Site } from "@/db/schema";
import { listTemplates } from "@/lib/newsletters/template-list";
import { makeSite } from "../helpers/factories";

/**
 * README: Manage » Communications » Message templates are "filtered by words of the name or
 * subject". The filter matches the whole typed text as one substring of the name or of the
 * subject: two words typed in another order, or one from the name and one from the subject,
 * find nothing.
 */
let site: Site;
beforeAll(async () => {
  site = await makeSite();
  await db.insert(messageTemplates).values([
    { siteId: site.id, name: "Newsletter de mars", subject: "Les nouvelles du printemps" },
    { siteId: site.id, name: "Rappel", subject: "Assemblée générale" },
  ]);
});

const names = async (q: string) => (await listTemplates(site.id, { q })).rows.map((r) => r.name);

describe("the templates screen's search by words", () => {
  it("finds a template by its words in any order", async () => {
    expect(await names("newsletter mars")).toEqual(["Newsletter de mars"]);
    expect(await names("mars newsletter")).toEqual(["Newsletter de mars"]);
  });

  it("finds a template by words of its name and of its subject together", async () => {
    expect(await names("mars printemps")).toEqual(["Newsletter de mars"]);
    expect(await names("rappel assemblée")).toEqual(["Rappel"]);
  });
});
