import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { sites, smsOptOuts, smsReplies, translationOverrides, users, type Site, type User } from "@/db/schema";
import { currentActor } from "@/lib/auth/actor";
import { verifyPassword } from "@/lib/auth/password";
import { createUserAction, updateUserAction } from "@/app/[locale]/manage/users/actions";
import { saveSiteAction } from "@/app/[locale]/manage/sites/actions";
import { sendTestSmsAction } from "@/app/[locale]/manage/queue/actions";
import { eraseSubscriberAction } from "@/app/[locale]/manage/subscriptions/actions";
import { addOptOutAction, removeOptOutAction } from "@/app/[locale]/manage/subscriptions/sms-opt-outs/actions";
import { answerReplyAction } from "@/app/[locale]/manage/sms-replies/actions";
import { addTranslationKeyAction, saveTranslationAction } from "@/app/[locale]/manage/i18n/actions";
import { changePasswordAction, updateProfileAction } from "@/app/[locale]/(public)/profile/actions";
import { actAs } from "./helpers/request";
import { makeSite, makeUser, TEST_PASSWORD } from "./helpers/factories";
import { expectFailure, expectSuccess, run, snapshotDb, type AnyAction } from "./helpers/actions";

let siteA: Site;
let siteB: Site;
let memberA: User;
let adminA: User;
let superA: User;
let memberB: User;
let adminB: User;
let superB: User;
let replyA: { id: number };

beforeAll(async () => {
  siteA = await makeSite({ domain: "a.example.org" });
  siteB = await makeSite({ domain: "b.example.org" });
  memberA = await makeUser(siteA.id, "member");
  adminA = await makeUser(siteA.id, "admin");
  superA = await makeUser(siteA.id, "superuser");
  memberB = await makeUser(siteB.id, "member");
  adminB = await makeUser(siteB.id, "admin");
  superB = await makeUser(siteB.id, "superuser");
  await db.insert(smsOptOuts).values({ siteId: siteA.id, phone: "+33612340001", keyword: "STOP" });
  [replyA] = await db.insert(smsReplies).values({ siteId: siteA.id, phone: "+33612340003", text: "Hello?" }).returning();
});

type Level = "member" | "admin" | "superuser";
type Case = { name: string; act: AnyAction; need: Level; input: () => Record<string, unknown> };

/** Every action with input that is valid, so only the role check can stop it. */
const cases: Case[] = [
  {
    name: "createUserAction",
    act: createUserAction,
    need: "admin",
    input: () => ({ name: "New", email: "new-person@example.org", locale: "en", role: "member", password: "a long password", confirmPassword: "a long password", back: "/en/manage/users" }),
  },
  {
    name: "updateUserAction",
    act: updateUserAction,
    need: "admin",
    input: () => ({ id: memberA.id, name: "Renamed", email: memberA.email, locale: "en", role: "member", disabled: "on" }),
  },
  {
    name: "saveSiteAction (update)",
    act: saveSiteAction,
    need: "superuser",
    input: () => ({ id: siteA.id, domain: siteA.domain, name: "Taken over", defaultLocale: "en", back: "/en/manage/sites" }),
  },
  {
    name: "saveSiteAction (create)",
    act: saveSiteAction,
    need: "superuser",
    input: () => ({ domain: "new-site.example.org", name: "New", defaultLocale: "en", isDefault: "on", back: "/en/manage/sites" }),
  },
  { name: "addOptOutAction", act: addOptOutAction, need: "admin", input: () => ({ phone: "+33612340002" }) },
  { name: "eraseSubscriberAction", act: eraseSubscriberAction, need: "admin", input: () => ({ email: "erase-me@example.org" }) },
  { name: "removeOptOutAction", act: removeOptOutAction, need: "admin", input: () => ({ phone: "+33612340001" }) },
  { name: "answerReplyAction", act: answerReplyAction, need: "admin", input: () => ({ id: String(replyA.id), text: "Hi" }) },
  { name: "sendTestSmsAction", act: sendTestSmsAction, need: "admin", input: () => ({ to: "+33612345678", text: "Test" }) },
  { name: "saveTranslationAction", act: saveTranslationAction, need: "admin", input: () => ({ key: "home.title", fr: "Piraté", en: "Hacked" }) },
  { name: "addTranslationKeyAction", act: addTranslationKeyAction, need: "admin", input: () => ({ key: "signup_opt9", fr: "Groupe 9" }) },
  { name: "updateProfileAction", act: updateProfileAction, need: "member", input: () => ({ name: "Renamed", locale: "en" }) },
  {
    name: "changePasswordAction",
    act: changePasswordAction,
    need: "member",
    input: () => ({ currentPassword: TEST_PASSWORD, password: "another long password", confirmPassword: "another long password" }),
  },
];

const asFormData = (input: Record<string, unknown>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(input)) fd.append(k, String(v));
  return fd;
};

/** Calls the action as `who` on site A, expects the refusal, and checks nothing changed. */
async function expectRefused(c: Case, who: User | null, key: "errors.signInRequired" | "errors.forbidden") {
  actAs(who?.id ?? null, siteA.domain);
  for (const input of [c.input(), asFormData(c.input())]) {
    const before = await snapshotDb();
    const result = expectFailure(await run(c.act, input), key);
    expect(result.fieldErrors).toBeUndefined();
    expect(await snapshotDb()).toEqual(before);
  }
  // The single-argument form (a plain object, as from a client component) is refused as well.
  const before = await snapshotDb();
  expectFailure(await c.act(c.input()), key);
  expect(await snapshotDb()).toEqual(before);
}

describe("every action refuses callers without the role, and changes nothing", () => {
  for (const c of cases) {
    describe(c.name, () => {
      it("refuses a guest with signInRequired", async () => {
        await expectRefused(c, null, "errors.signInRequired");
      });

      if (c.need !== "member") {
        it("refuses a member of the site", async () => {
          await expectRefused(c, memberA, "errors.forbidden");
        });
      }

      it("refuses an admin of another site", async () => {
        await expectRefused(c, adminB, "errors.forbidden");
      });

      it("refuses a member of another site", async () => {
        await expectRefused(c, memberB, "errors.forbidden");
      });

      if (c.need === "superuser") {
        it("refuses an admin of the site itself", async () => {
          await expectRefused(c, adminA, "errors.forbidden");
        });
      }

      it("refuses a disabled account with signInRequired", async () => {
        const privileged = await makeUser(siteA.id, "superuser", { disabledAt: new Date() });
        await expectRefused(c, privileged, "errors.signInRequired");
      });
    });
  }
});

describe("user management rules", () => {
  it("an admin cannot change a role", async () => {
    actAs(adminA.id, siteA.domain);
    const before = await snapshotDb();
    const result = expectFailure(
      await run(updateUserAction, { id: memberA.id, name: memberA.name, email: memberA.email, locale: memberA.locale, role: "admin" }),
      "errors.roleSuperuserOnly",
    );
    expect(result.fieldErrors?.role?.key).toBe("errors.roleSuperuserOnly");
    expect(await snapshotDb()).toEqual(before);
  });

  it("an admin cannot create an admin or a superuser", async () => {
    actAs(adminA.id, siteA.domain);
    for (const role of ["admin", "superuser"]) {
      const before = await snapshotDb();
      const result = expectFailure(
        await run(createUserAction, { name: "X", email: `made-${role}@example.org`, locale: "en", role, password: "a long password", confirmPassword: "a long password", back: "/en/manage/users" }),
        "errors.roleSuperuserOnly",
      );
      expect(result.fieldErrors?.role?.key).toBe("errors.roleSuperuserOnly");
      expect(await snapshotDb()).toEqual(before);
    }
  });

  it("an admin cannot edit a superuser of their own site", async () => {
    actAs(adminA.id, siteA.domain);
    const before = await snapshotDb();
    expectFailure(
      await run(updateUserAction, { id: superA.id, name: "Demoted", email: superA.email, locale: "en", role: "superuser", disabled: "on" }),
      "errors.forbidden",
    );
    expect(await snapshotDb()).toEqual(before);
  });

  it("an admin cannot edit another admin of their site: not the password, the address nor the disabled box", async () => {
    const peer = await makeUser(siteA.id, "admin");
    actAs(adminA.id, siteA.domain);
    const before = await snapshotDb();
    for (const change of [{ password: "Hijacked-Pass-123", confirmPassword: "Hijacked-Pass-123" }, { email: "taken-over@example.org" }, { disabled: "on" }]) {
      expectFailure(await run(updateUserAction, { id: peer.id, name: peer.name, email: peer.email, locale: "en", role: "admin", ...change }), "errors.forbidden");
    }
    expect(await snapshotDb()).toEqual(before);
    // A superuser can.
    actAs(superA.id, siteA.domain);
    expectSuccess(await run(updateUserAction, { id: peer.id, name: "Renamed", email: peer.email, locale: "en", role: "admin" }));
  });

  it("an admin cannot reach a user of another site by id", async () => {
    actAs(adminA.id, siteA.domain);
    for (const target of [memberB, superB]) {
      const before = await snapshotDb();
      expectFailure(await run(updateUserAction, { id: target.id, name: "Reached", email: target.email, locale: "en", role: target.role }), "errors.notFound");
      expect(await snapshotDb()).toEqual(before);
    }
  });

  it("an admin cannot disable themself or change their own role", async () => {
    actAs(adminA.id, siteA.domain);
    const before = await snapshotDb();
    expectFailure(await run(updateUserAction, { id: adminA.id, name: adminA.name, email: adminA.email, locale: "en", role: "admin", disabled: "on" }), "errors.cannotDemoteSelf");
    expect(await snapshotDb()).toEqual(before);
  });

  it("a superuser cannot disable themself or drop their own role", async () => {
    actAs(superA.id, siteA.domain);
    const before = await snapshotDb();
    expectFailure(await run(updateUserAction, { id: superA.id, name: superA.name, email: superA.email, locale: "en", role: "superuser", disabled: true }), "errors.cannotDemoteSelf");
    expectFailure(await run(updateUserAction, { id: superA.id, name: superA.name, email: superA.email, locale: "en", role: "member" }), "errors.cannotDemoteSelf");
    expect(await snapshotDb()).toEqual(before);
  });

  it("an admin can edit a member of their site (and only what the form says)", async () => {
    const target = await makeUser(siteA.id, "member");
    actAs(adminA.id, siteA.domain);
    expectSuccess(await run(updateUserAction, { id: target.id, name: "Edited by admin", email: target.email, locale: "en", role: "member", disabled: "on" }));
    const [row] = await db.select().from(users).where(eq(users.id, target.id));
    expect(row).toMatchObject({ name: "Edited by admin", locale: "en", role: "member", siteId: siteA.id });
    expect(row.disabledAt).not.toBeNull();
  });

  it("an admin creates members on their own site even when another site id is sent", async () => {
    actAs(adminA.id, siteA.domain);
    const outcome = await run(createUserAction, { name: "Placed", email: "placed@example.org", locale: "fr", role: "member", siteId: siteB.id, password: "a long password", confirmPassword: "a long password", back: "/fr/manage/users" });
    const [row] = await db.select().from(users).where(eq(users.email, "placed@example.org"));
    expect(outcome).toEqual({ redirect: `/fr/manage/users/${row.id}?created=1` });
    expect(row).toMatchObject({ siteId: siteA.id, role: "member" });
  });

  it("a superuser can change a role, on any site", async () => {
    const target = await makeUser(siteA.id, "member");
    actAs(superB.id, siteA.domain);
    expectSuccess(await run(updateUserAction, { id: target.id, name: target.name, email: target.email, locale: "fr", role: "admin" }));
    const [row] = await db.select().from(users).where(eq(users.id, target.id));
    expect(row.role).toBe("admin");
  });

  it("a superuser can place a new user on another site with a role", async () => {
    actAs(superA.id, siteA.domain);
    const outcome = await run(createUserAction, { name: "Boss B", email: "boss-b@example.org", locale: "en", role: "admin", siteId: siteB.id, password: "a long password", confirmPassword: "a long password", back: "/en/manage/users" });
    expect(outcome).toHaveProperty("redirect");
    const [row] = await db.select().from(users).where(eq(users.email, "boss-b@example.org"));
    expect(row).toMatchObject({ siteId: siteB.id, role: "admin" });
    expect(await verifyPassword("a long password", row.passwordHash)).toBe(true);
  });
});

describe("sessions follow the database", () => {
  it("a disabled user's session no longer counts", async () => {
    const admin = await makeUser(siteA.id, "admin");
    actAs(admin.id, siteA.domain);
    expect((await currentActor())?.id).toBe(admin.id);
    expectSuccess(await run(saveTranslationAction, { key: "home.intro", en: "Before disabling" }));

    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, admin.id));
    expect(await currentActor()).toBeNull();
    const before = await snapshotDb();
    expectFailure(await run(saveTranslationAction, { key: "home.intro", en: "After disabling" }), "errors.signInRequired");
    expectFailure(await run(updateProfileAction, { name: "Still here", locale: "en" }), "errors.signInRequired");
    expect(await snapshotDb()).toEqual(before);
  });

  it("a deleted user's session no longer counts", async () => {
    const gone = await makeUser(siteA.id, "admin");
    await db.delete(users).where(eq(users.id, gone.id));
    actAs(gone.id, siteA.domain);
    expect(await currentActor()).toBeNull();
    expectFailure(await run(saveTranslationAction, { key: "home.intro", en: "Ghost" }), "errors.signInRequired");
  });

  it("a role change takes effect on the next call", async () => {
    const person = await makeUser(siteA.id, "admin");
    actAs(person.id, siteA.domain);
    await db.update(users).set({ role: "member" }).where(eq(users.id, person.id));
    expectFailure(await run(saveTranslationAction, { key: "home.intro", en: "Demoted" }), "errors.forbidden");
  });
});

describe("sites actions require a superuser", () => {
  it("an admin of the site is refused; a superuser of any site may update it", async () => {
    actAs(adminA.id, siteA.domain);
    expectFailure(await run(saveSiteAction, { id: siteA.id, domain: siteA.domain, name: "By admin", defaultLocale: "en", back: "/en/manage/sites" }), "errors.forbidden");

    actAs(superB.id, siteA.domain);
    expectSuccess(await run(saveSiteAction, { id: siteA.id, domain: siteA.domain, name: "By superuser", defaultLocale: siteA.defaultLocale, back: "/en/manage/sites" }));
    const [row] = await db.select().from(sites).where(eq(sites.id, siteA.id));
    expect(row.name).toBe("By superuser");
  });

  it("a superuser creates a site and is redirected to it", async () => {
    actAs(superA.id, siteA.domain);
    const outcome = await run(saveSiteAction, { domain: "Created.Example.org", name: "Created", defaultLocale: "fr", back: "/fr/manage/sites" });
    const [row] = await db.select().from(sites).where(eq(sites.domain, "created.example.org"));
    expect(row).toBeDefined();
    expect(outcome).toEqual({ redirect: `/fr/manage/sites/${row.id}?created=1` });
  });
});

describe("member actions work for the member themself", () => {
  it("updateProfileAction changes only the caller's own row", async () => {
    const me = await makeUser(siteA.id, "member");
    actAs(me.id, siteA.domain);
    const before = await db.select().from(users).where(eq(users.id, memberA.id));
    expectSuccess(await run(updateProfileAction, { name: "My new name", locale: "en", id: memberA.id, role: "superuser" }));
    const [row] = await db.select().from(users).where(eq(users.id, me.id));
    expect(row).toMatchObject({ name: "My new name", locale: "en", role: "member" });
    expect(await db.select().from(users).where(eq(users.id, memberA.id))).toEqual(before);
  });

  it("changePasswordAction needs the current password", async () => {
    const me = await makeUser(siteA.id, "member");
    actAs(me.id, siteA.domain);
    const wrong = expectFailure(
      await run(changePasswordAction, { currentPassword: "not it at all", password: "brand new password", confirmPassword: "brand new password" }),
      "errors.currentPasswordWrong",
    );
    expect(wrong.fieldErrors?.currentPassword?.key).toBe("errors.currentPasswordWrong");
    expectSuccess(await run(changePasswordAction, { currentPassword: TEST_PASSWORD, password: "brand new password", confirmPassword: "brand new password" }));
    const [row] = await db.select().from(users).where(eq(users.id, me.id));
    expect(await verifyPassword("brand new password", row.passwordHash)).toBe(true);
  });
});

describe("translation actions are per site", () => {
  it("an admin's override lands on their own site only", async () => {
    actAs(adminA.id, siteA.domain);
    expectSuccess(await run(saveTranslationAction, { key: "home.title", en: "Site A title" }));
    const rows = await db.select().from(translationOverrides).where(eq(translationOverrides.key, "home.title"));
    expect(rows.map((r) => [r.siteId, r.locale, r.value])).toEqual([[siteA.id, "en", "Site A title"]]);
  });
});
