import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Site, User } from "@/db/schema";
import { saveTranslationAction } from "@/app/[locale]/manage/i18n/actions";
import { countQueueAction } from "@/app/[locale]/manage/queue/actions";
import { actAs, fakeRequest } from "./helpers/request";
import { makeSite, makeUser } from "./helpers/factories";
import { expectFailure, expectSuccess, run } from "./helpers/actions";

// Forms whose page must show the change (badges, lists, the saved values React resets a form
// to) rely on the action answering with the page re-rendered: `refresh: true` in lib/actions/action.ts.
let site: Site;
let admin: User;
let member: User;

beforeAll(async () => {
  site = await makeSite({ domain: "refresh.example.org", defaultLocale: "fr" });
  admin = await makeUser(site.id, "admin");
  member = await makeUser(site.id, "member");
});

beforeEach(() => {
  fakeRequest.refreshes = 0;
});

describe("actions built with refresh: true", () => {
  it("ask for the page once after a success", async () => {
    actAs(admin.id, site.domain);
    expectSuccess(await run(saveTranslationAction, { key: "home.intro", fr: "Bonjour à tous" }));
    expect(fakeRequest.refreshes).toBe(1);
  });

  it("do not after refused input, a refused caller or a failed handler", async () => {
    actAs(admin.id, site.domain);
    expectFailure(await run(saveTranslationAction, { key: "not a key!", fr: "x" }), "errors.checkFields");
    actAs(member.id, site.domain);
    expectFailure(await run(saveTranslationAction, { key: "home.intro", fr: "x" }), "errors.forbidden");
    actAs(admin.id, site.domain);
    expectFailure(await run(saveTranslationAction, { key: "home.intro", fr: "{broken" }));
    expect(fakeRequest.refreshes).toBe(0);
  });
});

it("an action without it answers with its data alone", async () => {
  actAs(admin.id, site.domain);
  expectSuccess(await run(countQueueAction, { op: "cancel", target: "filter", ids: [], filter: "" }));
  expect(fakeRequest.refreshes).toBe(0);
});
