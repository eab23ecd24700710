import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users, type Site, type User } from "@/db/schema";
import { createUserAction, updateUserAction } from "@/app/[locale]/manage/users/actions";
import { saveSiteAction } from "@/app/[locale]/manage/sites/actions";
import { addTranslationKeyAction, saveTranslationAction } from "@/app/[locale]/manage/i18n/actions";
import { changePasswordAction, updateProfileAction } from "@/app/[locale]/(public)/profile/actions";
import { actAs } from "./helpers/request";
import { makeSite, makeUser, TEST_PASSWORD } from "./helpers/factories";
import { expectFailure, run, snapshotDb, type AnyAction } from "./helpers/actions";
import { bigIdSchema, parseId } from "@/lib/ids";
import { groupIdsSchema } from "@/lib/newsletters/templates";

let siteA: Site;
let adminA: User;
let superA: User;
let memberA: User;
let target: User;

beforeAll(async () => {
  siteA = await makeSite({ domain: "a.example.org" });
  adminA = await makeUser(siteA.id, "admin");
  superA = await makeUser(siteA.id, "superuser");
  memberA = await makeUser(siteA.id, "member");
  target = await makeUser(siteA.id, "member");
});

type Case = {
  name: string;
  act: AnyAction;
  /** Who may call it: the test is about input, not roles. */
  as: () => User;
  /** Input that would succeed; each test breaks it in one way. */
  valid: () => Record<string, unknown>;
  /** Fields that may be left out. */
  optional: string[];
  /** Free-text fields stored as typed. */
  text: string[];
};

const cases: Case[] = [
  {
    name: "createUserAction",
    act: createUserAction,
    as: () => adminA,
    valid: () => ({ name: "New Person", email: "New.Person@Example.org", locale: "en", role: "member", password: "a long password", confirmPassword: "a long password", back: "/en/manage/users" }),
    optional: [],
    text: ["name"],
  },
  {
    name: "updateUserAction",
    act: updateUserAction,
    as: () => adminA,
    valid: () => ({ id: target.id, name: "Renamed", email: target.email, locale: "en", role: "member", disabled: "off" }),
    optional: ["disabled"],
    text: ["name"],
  },
  {
    name: "saveSiteAction",
    act: saveSiteAction,
    as: () => superA,
    valid: () => ({ id: siteA.id, domain: siteA.domain, name: "Renamed site", defaultLocale: "fr", senderName: "Sender", senderEmail: "news@a.example.org", registrationOpen: "on", isDefault: "off", back: "/fr/manage/sites" }),
    optional: ["id", "senderName", "senderEmail", "registrationOpen", "isDefault"],
    text: ["name", "senderName"],
  },
  {
    name: "saveTranslationAction",
    act: saveTranslationAction,
    as: () => adminA,
    valid: () => ({ key: "home.title", fr: "Bienvenue", en: "Welcome" }),
    optional: ["fr", "en"],
    text: ["fr", "en"],
  },
  {
    name: "addTranslationKeyAction",
    act: addTranslationKeyAction,
    as: () => adminA,
    valid: () => ({ key: "signup_opt2", fr: "Groupe deux", en: "Group two" }),
    optional: ["fr", "en"],
    text: ["fr", "en"],
  },
  {
    name: "updateProfileAction",
    act: updateProfileAction,
    as: () => memberA,
    valid: () => ({ name: "My name", locale: "en" }),
    optional: [],
    text: ["name"],
  },
  {
    name: "changePasswordAction",
    act: changePasswordAction,
    as: () => memberA,
    valid: () => ({ currentPassword: TEST_PASSWORD, password: "a brand new password", confirmPassword: "a brand new password" }),
    optional: [],
    text: [],
  },
];

const HUGE = "x".repeat(1_000_000);

function formData(entries: [string, string | Blob][]) {
  const fd = new FormData();
  for (const [k, v] of entries) fd.append(k, v);
  return fd;
}

/** Inputs that are wrong as a whole, whatever the action. */
const wholeInputs: [string, unknown][] = [
  ["null", null],
  ["a string", "junk"],
  ["a number", 42],
  ["an empty array", []],
  ["an array of strings", ["a", "b"]],
  ["an empty object", {}],
  ["an empty FormData", new FormData()],
  [
    "a FormData of junk",
    formData([
      ["foo", "bar"],
      ["$ACTION_ID_abc", "1"],
      ["file", new Blob(["binary"], { type: "application/octet-stream" })],
    ]),
  ],
  ["an object whose every value is huge", "HUGE"],
  ["an object whose every value is a number", "NUMBERS"],
  ["an object whose every value is an object", "OBJECTS"],
];

function wholeInput(c: Case, spec: unknown): unknown {
  const fill = (v: unknown) => Object.fromEntries(Object.keys(c.valid()).map((k) => [k, v]));
  if (spec === "HUGE") return fill(HUGE);
  if (spec === "NUMBERS") return fill(-1);
  if (spec === "OBJECTS") return fill({ toString: "x" });
  return spec;
}

/** Replacements for one field that no schema accepts. */
const badValues: [string, unknown][] = [
  ["two values (a repeated form field)", ["1", "2"]],
  ["an object", { nested: true }],
  ["null", null],
  ["a huge string", HUGE],
];

for (const c of cases) {
  describe(`${c.name} with malformed input`, () => {
    it("answers undefined input (one argument or two) with a field error, without throwing", async () => {
      actAs(c.as().id, siteA.domain);
      const before = await snapshotDb();
      for (const result of [await c.act(undefined), await c.act(null, undefined), await c.act(undefined, undefined)]) {
        const failure = expectFailure(result, "errors.checkFields");
        expect(Object.keys(failure.fieldErrors ?? {}).length).toBeGreaterThan(0);
      }
      expect(await snapshotDb()).toEqual(before);
    });

    for (const [label, spec] of wholeInputs) {
      it(`refuses ${label}`, async () => {
        actAs(c.as().id, siteA.domain);
        const before = await snapshotDb();
        const failure = expectFailure(await run(c.act, wholeInput(c, spec)), "errors.checkFields");
        expect(Object.keys(failure.fieldErrors ?? {}).length).toBeGreaterThan(0);
        expect(await snapshotDb()).toEqual(before);
      });
    }

    it("names each missing required field", async () => {
      actAs(c.as().id, siteA.domain);
      const before = await snapshotDb();
      for (const field of Object.keys(c.valid()).filter((f) => !c.optional.includes(f))) {
        const input = c.valid();
        delete input[field];
        for (const shape of [input, formData(Object.entries(input).map(([k, v]) => [k, String(v)]))]) {
          const failure = expectFailure(await run(c.act, shape), "errors.checkFields");
          // A missing select (an enum) reads "choose one of the options"; anything else "required".
          expect(["errors.required", "errors.choice"], `missing ${field}`).toContain(failure.fieldErrors?.[field]?.key);
        }
      }
      expect(await snapshotDb()).toEqual(before);
    });

    it("names each field given a value of the wrong type or size", async () => {
      actAs(c.as().id, siteA.domain);
      const before = await snapshotDb();
      for (const field of Object.keys(c.valid())) {
        for (const [label, bad] of badValues) {
          const failure = expectFailure(await run(c.act, { ...c.valid(), [field]: bad }), "errors.checkFields");
          expect(failure.fieldErrors?.[field], `${field} as ${label}`).toBeDefined();
        }
      }
      expect(await snapshotDb()).toEqual(before);
    });

    it("refuses repeated form fields sent through FormData", async () => {
      actAs(c.as().id, siteA.domain);
      const before = await snapshotDb();
      const entries = Object.entries(c.valid()).flatMap(([k, v]): [string, string][] => [
        [k, String(v)],
        [k, `${String(v)}-again`],
      ]);
      const failure = expectFailure(await run(c.act, formData(entries)), "errors.checkFields");
      expect(Object.keys(failure.fieldErrors ?? {}).length).toBeGreaterThan(0);
      expect(await snapshotDb()).toEqual(before);
    });

    if (c.text.length > 0) {
      it("refuses a NUL character in a text field with a field error, not an unexpected error", async () => {
        actAs(c.as().id, siteA.domain);
        const before = await snapshotDb();
        for (const field of c.text) {
          const failure = expectFailure(await run(c.act, { ...c.valid(), [field]: "before\u0000after" }));
          // Soft, so one run reports every field, and whether a half-done write was left behind.
          expect.soft(failure.error.key, field).not.toBe("errors.unexpected");
          expect.soft(failure.fieldErrors?.[field], field).toBeDefined();
          expect.soft(await snapshotDb(), `database after NUL in ${field}`).toEqual(before);
        }
      });
    }
  });
}

describe("ids out of range or pointing nowhere", () => {
  it("reads ids as canonical decimal digits only, never hex, exponent, sign or spaces", () => {
    for (const text of ["0x1", "1e3", "1E3", " 1", "1 ", "+1", "-1", "1.0", "0b1", "", "0", "1_000", "１", "1234567890123456"]) {
      expect(parseId(text), JSON.stringify(text)).toBeNull();
      expect(bigIdSchema.safeParse(text).success, JSON.stringify(text)).toBe(false);
    }
    expect(parseId("42")).toBe(42);
    expect(parseId("007")).toBe(7);
    expect(parseId(42)).toBe(42);
    expect(parseId("2147483648")).toBeNull();
    expect(bigIdSchema.parse("2147483648")).toBe(2147483648);
    expect(groupIdsSchema.safeParse(["1", "1e3"]).success).toBe(false);
    expect(groupIdsSchema.parse(["1", "2"])).toEqual([1, 2]);
  });

  it("updateUserAction with a hex id is a field error, and changes nobody", async () => {
    actAs(adminA.id, siteA.domain);
    const before = await snapshotDb();
    const failure = expectFailure(await run(updateUserAction, { id: `0x${target.id.toString(16)}`, name: "X", email: target.email, locale: "en", role: "member" }));
    expect(failure.fieldErrors?.id).toBeDefined();
    expect(await snapshotDb()).toEqual(before);
  });

  it("updateUserAction with an id beyond the integer range says not found", async () => {
    actAs(adminA.id, siteA.domain);
    const before = await snapshotDb();
    for (const id of ["2147483648", "99999999999", String(Number.MAX_SAFE_INTEGER)]) {
      const failure = expectFailure(await run(updateUserAction, { id, name: "X", email: "x@example.org", locale: "en", role: "member" }));
      expect(failure.error.key, id).not.toBe("errors.unexpected");
    }
    expect(await snapshotDb()).toEqual(before);
  });

  it("saveSiteAction with an id beyond the integer range says not found", async () => {
    actAs(superA.id, siteA.domain);
    const before = await snapshotDb();
    const failure = expectFailure(await run(saveSiteAction, { id: "99999999999", domain: "other.example.org", name: "X", defaultLocale: "en", back: "/en/manage/sites" }));
    expect(failure.error.key).not.toBe("errors.unexpected");
    expect(await snapshotDb()).toEqual(before);
  });

  it("createUserAction by a superuser onto a site that does not exist is a field error", async () => {
    actAs(superA.id, siteA.domain);
    const before = await snapshotDb();
    for (const siteId of [987654, 2147483648]) {
      const failure = expectFailure(
        await run(createUserAction, { siteId, name: "X", email: `nowhere-${siteId}@example.org`, locale: "en", role: "member", password: "a long password", confirmPassword: "a long password", back: "/en/manage/users" }),
      );
      expect(failure.error.key, String(siteId)).not.toBe("errors.unexpected");
      expect(failure.fieldErrors?.siteId, String(siteId)).toBeDefined();
    }
    expect(await snapshotDb()).toEqual(before);
  });
});

describe("what comes back to the form", () => {
  const noPasswords = (values: Record<string, string> | undefined) =>
    expect(Object.keys(values ?? {}).filter((k) => /password/i.test(k))).toEqual([]);

  it("echoes typed values exactly, and never a password, on a validation error", async () => {
    actAs(adminA.id, siteA.domain);
    const input = { name: "  Typed Name ", email: "Typed.Person@Example.ORG", locale: "en", role: "member", password: "short", confirmPassword: "different", back: "/en/manage/users" };
    for (const shape of [input, formData(Object.entries(input))]) {
      const failure = expectFailure(await run(createUserAction, shape), "errors.checkFields");
      expect(failure.fieldErrors?.password?.key).toBe("errors.tooShort");
      expect(failure.values).toMatchObject({ name: "  Typed Name ", email: "Typed.Person@Example.ORG", locale: "en", role: "member", back: "/en/manage/users" });
      noPasswords(failure.values);
      expect(JSON.stringify(failure)).not.toContain("short");
      expect(JSON.stringify(failure)).not.toContain("different");
    }
  });

  it("echoes an invalid email as typed", async () => {
    actAs(adminA.id, siteA.domain);
    const failure = expectFailure(
      await run(createUserAction, { name: "N", email: "not an email", locale: "en", role: "member", password: "a long password", confirmPassword: "a long password", back: "/en/manage/users" }),
      "errors.checkFields",
    );
    expect(failure.fieldErrors?.email?.key).toBe("errors.email");
    expect(failure.values?.email).toBe("not an email");
    noPasswords(failure.values);
  });

  it("echoes typed values, and never a password, when the handler refuses (email taken)", async () => {
    actAs(adminA.id, siteA.domain);
    const failure = expectFailure(
      await run(createUserAction, { name: "Dup", email: memberA.email.toUpperCase(), locale: "en", role: "member", password: "secret password 1", confirmPassword: "secret password 1", back: "/en/manage/users" }),
      "errors.emailTaken",
    );
    expect(failure.fieldErrors?.email?.key).toBe("errors.emailTaken");
    expect(failure.values?.email).toBe(memberA.email.toUpperCase());
    noPasswords(failure.values);
    expect(JSON.stringify(failure)).not.toContain("secret password 1");
  });

  it("never echoes any of the three passwords of the change-password form", async () => {
    actAs(memberA.id, siteA.domain);
    const mismatch = expectFailure(
      await run(changePasswordAction, { currentPassword: "current secret", password: "first new secret", confirmPassword: "second new secret" }),
      "errors.checkFields",
    );
    expect(mismatch.fieldErrors?.confirmPassword?.key).toBe("errors.passwordsDiffer");
    noPasswords(mismatch.values);
    const wrong = expectFailure(
      await run(changePasswordAction, { currentPassword: "wrong secret", password: "first new secret", confirmPassword: "first new secret" }),
      "errors.currentPasswordWrong",
    );
    noPasswords(wrong.values);
    for (const secret of ["current secret", "wrong secret", "first new secret", "second new secret"]) {
      expect(JSON.stringify([mismatch, wrong])).not.toContain(secret);
    }
  });

  it("never echoes the new password of the user form", async () => {
    actAs(adminA.id, siteA.domain);
    const failure = expectFailure(
      await run(updateUserAction, { id: target.id, name: "", email: target.email, locale: "en", role: "member", password: "new user secret", confirmPassword: "new user secret" }),
      "errors.checkFields",
    );
    expect(failure.fieldErrors?.name?.key).toBe("errors.required");
    expect(failure.values?.email).toBe(target.email);
    noPasswords(failure.values);
    expect(JSON.stringify(failure)).not.toContain("new user secret");
  });

  it("leaves the account untouched after all of this", async () => {
    const [row] = await db.select().from(users).where(eq(users.id, target.id));
    expect(row).toMatchObject({ name: target.name, email: target.email, role: "member", disabledAt: null });
  });
});

