import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { createTranslator, IntlErrorCode } from "next-intl";
import { db } from "@/db/client";
import { translationOverrides, type Site, type User } from "@/db/schema";
import { ActionError } from "@/lib/actions/errors";
import { catalog } from "@/lib/i18n/catalog";
import { addTranslationKey, saveTranslation } from "@/lib/i18n/edit";
import { flatten, flatFileMessages, unflatten } from "@/lib/i18n/messages";
import { setOverride, siteOverrides } from "@/lib/i18n/overrides";
import { overrideProblem } from "@/lib/i18n/placeholders";
import { mergeMessages, translate } from "@/lib/i18n/resolve";
import { addTranslationKeyAction, saveTranslationAction } from "@/app/[locale]/manage/i18n/actions";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { actAs } from "./helpers/request";
import { makeSite, makeUser } from "./helpers/factories";
import { expectFailure, expectSuccess, run } from "./helpers/actions";

let siteA: Site;
let siteB: Site;
let adminA: User;

const KEY = "home.intro";
const FILE_EN = flatFileMessages("en")[KEY];
const FILE_FR = flatFileMessages("fr")[KEY];

beforeAll(async () => {
  siteA = await makeSite({ domain: "a.example.org", defaultLocale: "fr" });
  siteB = await makeSite({ domain: "b.example.org", defaultLocale: "en" });
  adminA = await makeUser(siteA.id, "admin");
});

beforeEach(async () => {
  await db.delete(translationOverrides);
});

/** The value a dotted key has in a nested messages object, or undefined. */
function lookup(messages: unknown, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), messages);
}

async function expectActionError(promise: Promise<unknown>, key: string, field?: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionError);
  expect((error as ActionError).msg.key).toBe(key);
  if (field) expect((error as ActionError).field).toBe(field);
}

describe("overrides and files", () => {
  it("the files really differ for the key used here", () => {
    expect(FILE_EN).toBeTruthy();
    expect(FILE_FR).toBeTruthy();
    expect(FILE_EN).not.toBe(FILE_FR);
  });

  it("a site override wins over the file", async () => {
    await saveTranslation(siteA.id, KEY, { en: "Our own intro" });
    expect(await translate(KEY, "en", siteA)).toBe("Our own intro");
    // The other locale still speaks from its file.
    expect(await translate(KEY, "fr", siteA)).toBe(FILE_FR);
  });

  it("an override on site A does not show on site B", async () => {
    await saveTranslation(siteA.id, KEY, { en: "Only for A", fr: "Seulement pour A" });
    expect(await translate(KEY, "en", siteB)).toBe(FILE_EN);
    expect(await translate(KEY, "fr", siteB)).toBe(FILE_FR);
    expect(lookup(mergeMessages("en", siteB, await siteOverrides(siteB.id)), KEY)).toBe(FILE_EN);
  });

  it("removing the override falls back to the file", async () => {
    await saveTranslation(siteA.id, KEY, { en: "Temporary" });
    expect(await translate(KEY, "en", siteA)).toBe("Temporary");
    await saveTranslation(siteA.id, KEY, { en: "" });
    expect(await translate(KEY, "en", siteA)).toBe(FILE_EN);
    expect((await siteOverrides(siteA.id)).en[KEY]).toBeUndefined();
  });

  it("saving the file's own value removes the override instead of storing a copy", async () => {
    await saveTranslation(siteA.id, KEY, { en: "Temporary", fr: "Temporaire" });
    await saveTranslation(siteA.id, KEY, { en: FILE_EN });
    const overrides = await siteOverrides(siteA.id);
    expect(overrides.en[KEY]).toBeUndefined();
    expect(overrides.fr[KEY]).toBe("Temporaire"); // a locale not sent is left alone
    const rows = await db.select().from(translationOverrides).where(eq(translationOverrides.siteId, siteA.id));
    expect(rows.map((r) => [r.locale, r.key])).toEqual([["fr", KEY]]);
  });

  it("saving the same override twice keeps one row", async () => {
    await saveTranslation(siteA.id, KEY, { en: "Once" });
    await saveTranslation(siteA.id, KEY, { en: "Twice" });
    const rows = await db.select().from(translationOverrides).where(eq(translationOverrides.siteId, siteA.id));
    expect(rows.map((r) => r.value)).toEqual(["Twice"]);
  });

  it("ICU placeholders and plurals still format in overrides", async () => {
    await saveTranslation(siteA.id, "home.title", { en: "Hello {site}, welcome!" });
    expect(await translate("home.title", "en", siteA, { site: "Chora" })).toBe("Hello Chora, welcome!");
    await saveTranslation(siteA.id, "i18n.count", { en: "{count, plural, =0 {nothing} one {# thing} other {# things}}" });
    expect(await translate("i18n.count", "en", siteA, { count: 0 })).toBe("nothing");
    expect(await translate("i18n.count", "en", siteA, { count: 1 })).toBe("1 thing");
    expect(await translate("i18n.count", "en", siteA, { count: 3 })).toBe("3 things");
  });
});

describe("a stored override the pages cannot format", () => {
  afterEach(() => vi.restoreAllMocks());

  it("gives way to the file's message, logged once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    // Stored before saving checked arguments and tags (setOverride does not check).
    await setOverride(siteA.id, "fr", "home.title", "Bienvenue <b>chez</b> {site}");
    await setOverride(siteA.id, "en", "home.title", "Welcome to {site} {missing}");
    await setOverride(siteA.id, "en", KEY, "Still {fine");
    await setOverride(siteA.id, "fr", KEY, "Intro de A");
    expect(await translate("home.title", "fr", siteA, { site: "Chora" })).toBe("Bienvenue sur Chora");
    expect(await translate("home.title", "en", siteA, { site: "Chora" })).toBe("Welcome to Chora");
    expect(await translate(KEY, "en", siteA)).toBe(FILE_EN);
    // The site's other overrides still apply.
    expect(await translate(KEY, "fr", siteA)).toBe("Intro de A");
    const overrides = await siteOverrides(siteA.id);
    for (let i = 0; i < 2; i++) expect(lookup(mergeMessages("fr", siteA, overrides), "home.title")).toBe(flatFileMessages("fr")["home.title"]);
    expect(warn.mock.calls.map(([message]) => String(message).replace(/ \(.*/, "")).sort()).toEqual([
      `[i18n] site ${siteA.id}: its en text for home.intro is not used, the file's is`,
      `[i18n] site ${siteA.id}: its en text for home.title is not used, the file's is`,
      `[i18n] site ${siteA.id}: its fr text for home.title is not used, the file's is`,
    ]);
  });

  it("is shown on the internationalisation screen with the reason", async () => {
    await setOverride(siteA.id, "fr", "home.title", "Bienvenue chez {site} {missing}");
    const [entry] = (await catalog(siteA.id, { q: "home.title" })).entries.filter((e) => e.key === "home.title");
    expect(entry.problems).toEqual({ fr: { key: "errors.messageArgument", values: { name: "{missing}", allowed: "{site}" } } });
  });
});

describe("fallback to the site's default locale", () => {
  it("a key missing in one locale shows the default locale's override", async () => {
    await addTranslationKey(siteA.id, "signup_opt3", { fr: "Groupe trois" });
    // Site A speaks French by default: English falls back to the French override.
    expect(await translate("signup_opt3", "en", siteA)).toBe("Groupe trois");
    expect(await translate("signup_opt3", "fr", siteA)).toBe("Groupe trois");

    await addTranslationKey(siteB.id, "signup_opt3", { en: "Group three" });
    // Site B speaks English by default: French falls back to the English override.
    expect(await translate("signup_opt3", "fr", siteB)).toBe("Group three");
  });

  it("the locale's own value beats the fallback override", async () => {
    await addTranslationKey(siteA.id, "signup_opt4", { fr: "Groupe quatre", en: "Group four" });
    expect(await translate("signup_opt4", "en", siteA)).toBe("Group four");
    expect(await translate("signup_opt4", "fr", siteA)).toBe("Groupe quatre");
    // A file value in the requested locale beats an override in the fallback locale.
    await saveTranslation(siteA.id, KEY, { fr: "Intro du site" });
    expect(await translate(KEY, "en", siteA)).toBe(FILE_EN);
  });

  it("precedence: override in the locale, file in the locale, override in the fallback, file in the fallback", () => {
    const site = { id: 0, defaultLocale: "fr" };
    const both = { fr: { [KEY]: "fr override", only_fr: "fr only" }, en: { [KEY]: "en override" } };
    expect(lookup(mergeMessages("en", site, both), KEY)).toBe("en override");
    expect(lookup(mergeMessages("en", site, { fr: both.fr, en: {} }), KEY)).toBe(FILE_EN);
    expect(lookup(mergeMessages("en", site, both), "only_fr")).toBe("fr only");
    expect(lookup(mergeMessages("fr", { id: 0, defaultLocale: "en" }, { fr: {}, en: { only_en: "en only" } }), "only_en")).toBe("en only");
  });

  describe("with a key that one file lacks", () => {
    // The shipped files define the same keys (checked below), so drop one from en.json here.
    afterEach(() => {
      vi.doUnmock("@/messages/en.json");
      vi.resetModules();
    });

    it("falls back to the default locale's override first, then its file", async () => {
      vi.resetModules();
      vi.doMock("@/messages/en.json", () => {
        const copy = structuredClone(en) as Record<string, Record<string, unknown>>;
        delete copy.home.intro;
        return { default: copy };
      });
      const resolve = await import("@/lib/i18n/resolve");
      const site = { id: 0, defaultLocale: "fr" };
      expect(lookup(resolve.mergeMessages("en", site, { fr: {}, en: {} }), KEY)).toBe(FILE_FR);
      expect(lookup(resolve.mergeMessages("en", site, { fr: { [KEY]: "fr override" }, en: {} }), KEY)).toBe("fr override");
      expect(lookup(resolve.mergeMessages("en", site, { fr: { [KEY]: "fr override" }, en: { [KEY]: "en override" } }), KEY)).toBe("en override");
      // Through the database as well.
      await saveTranslation(siteA.id, KEY, { fr: "Intro de A" });
      expect(await resolve.translate(KEY, "en", siteA)).toBe("Intro de A");
      await saveTranslation(siteA.id, KEY, { fr: "" });
      expect(await resolve.translate(KEY, "en", siteA)).toBe(FILE_FR);
    });
  });
});

describe("added keys", () => {
  it("a key added with addTranslationKey appears in catalog() and translate()", async () => {
    await addTranslationKey(siteA.id, "signup_opt7", { fr: "Groupe sept", en: "Group seven" });
    const { entries, total } = await catalog(siteA.id, { q: "signup_opt7" });
    expect(total).toBe(1);
    expect(entries[0]).toEqual({ key: "signup_opt7", file: {}, override: { fr: "Groupe sept", en: "Group seven" }, custom: true });
    expect(await translate("signup_opt7", "en", siteA)).toBe("Group seven");
    expect(await translate("signup_opt7", "fr", siteA)).toBe("Groupe sept");
    // Search by value, and the "only overridden" filter, find it too.
    expect((await catalog(siteA.id, { q: "group seven" })).entries.map((e) => e.key)).toContain("signup_opt7");
    expect((await catalog(siteA.id, { onlyOverridden: true })).entries.map((e) => e.key)).toEqual(["signup_opt7"]);
  });

  it("an added key belongs to its site only", async () => {
    await addTranslationKey(siteA.id, "signup_opt8", { fr: "Groupe huit" });
    expect((await catalog(siteB.id, { q: "signup_opt8" })).total).toBe(0);
    expect(await translate("signup_opt8", "fr", siteB)).toBe("signup_opt8");
    // ...so site B may add the same key for itself.
    await addTranslationKey(siteB.id, "signup_opt8", { en: "Group eight" });
    expect(await translate("signup_opt8", "en", siteB)).toBe("Group eight");
  });

  it("the catalog lists every file key, with both files' values", async () => {
    const { total } = await catalog(siteA.id);
    expect(total).toBe(Object.keys(flatten(en)).length);
    const [entry] = (await catalog(siteA.id, { q: KEY })).entries.filter((e) => e.key === KEY);
    expect(entry).toEqual({ key: KEY, file: { fr: FILE_FR, en: FILE_EN }, override: {}, custom: false });
  });

  it("adding an existing key fails with keyExists", async () => {
    await expectActionError(addTranslationKey(siteA.id, "home.title", { en: "x" }), "errors.keyExists", "key");
    await addTranslationKey(siteA.id, "signup_opt5", { en: "Five" });
    await expectActionError(addTranslationKey(siteA.id, "signup_opt5", { en: "Again" }), "errors.keyExists", "key");
    expect((await siteOverrides(siteA.id)).en.signup_opt5).toBe("Five");
  });

  it("adding a key that clashes with a namespace fails with keyNamespace", async () => {
    for (const key of ["errors", "errors.required.x", "manage.menu", "home.title.sub"]) {
      await expectActionError(addTranslationKey(siteA.id, key, { en: "x" }), "errors.keyNamespace", "key");
    }
    await addTranslationKey(siteA.id, "signup_opt6", { en: "Six" });
    await expectActionError(addTranslationKey(siteA.id, "signup_opt6.sub", { en: "x" }), "errors.keyNamespace", "key");
    const rows = await db.select().from(translationOverrides).where(eq(translationOverrides.siteId, siteA.id));
    expect(rows.map((r) => r.key)).toEqual(["signup_opt6"]);
  });

  it("adding a key with no value in any locale fails", async () => {
    await expectActionError(addTranslationKey(siteA.id, "signup_opt10", {}), "errors.translationRequired");
    await expectActionError(addTranslationKey(siteA.id, "signup_opt10", { fr: "", en: "" }), "errors.translationRequired");
    expect(await db.select().from(translationOverrides)).toEqual([]);
  });

  it("through the action, the failures come back as field errors on `key`", async () => {
    actAs(adminA.id, siteA.domain);
    const exists = expectFailure(await run(addTranslationKeyAction, { key: "home.title", en: "x" }), "errors.keyExists");
    expect(exists.fieldErrors?.key?.key).toBe("errors.keyExists");
    const clash = expectFailure(await run(addTranslationKeyAction, { key: "errors", en: "x" }), "errors.keyNamespace");
    expect(clash.fieldErrors?.key?.key).toBe("errors.keyNamespace");
    const format = expectFailure(await run(addTranslationKeyAction, { key: "bad key!", en: "x" }), "errors.checkFields");
    expect(format.fieldErrors?.key?.key).toBe("errors.keyFormat");
    expectSuccess(await run(addTranslationKeyAction, { key: "signup_opt11", fr: "Onze", en: "" }));
    expect(await translate("signup_opt11", "en", siteA)).toBe("Onze");
    expectSuccess(await run(saveTranslationAction, { key: "signup_opt11", fr: "Onze !" }));
    expect(await translate("signup_opt11", "fr", siteA)).toBe("Onze !");
  });

  it("a key naming a property every object inherits is refused, and one stored anyway is left out: no site's pages change", async () => {
    actAs(adminA.id, siteA.domain);
    for (const key of ["__proto__.polluted", "constructor", "signup.constructor.x", "hasOwnProperty", "a.toString", "__proto__"]) {
      const refused = expectFailure(await run(addTranslationKeyAction, { key, en: "x" }), "errors.checkFields");
      expect(refused.fieldErrors?.key?.key, key).toBe("errors.keyFormat");
      expect(refused.values, key).toMatchObject({ key });
      await expectActionError(addTranslationKey(siteA.id, key, { en: "x" }), "errors.keyFormat", "key");
    }
    expect(await db.select().from(translationOverrides)).toEqual([]);
    // Stored by hand, or before this check: the site's messages are built without it.
    await db.insert(translationOverrides).values([
      { siteId: siteA.id, locale: "en", key: "__proto__.polluted", value: "yes" },
      { siteId: siteA.id, locale: "en", key: "toString.polluted", value: "yes" },
      { siteId: siteA.id, locale: "en", key: "home.title", value: "Still here" },
    ]);
    const overrides = await siteOverrides(siteA.id);
    expect(Object.keys(overrides.en)).toEqual(["home.title"]);
    expect(lookup(mergeMessages("en", siteA, overrides), "home.title")).toBe("Still here");
    expect(await translate("home.title", "en", siteA)).toBe("Still here");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype.toString as unknown as Record<string, unknown>).polluted).toBeUndefined();
    // Even handed straight to unflatten, such a key is not followed.
    expect(unflatten({ "__proto__.polluted": "yes", "a.b": "c" })).toEqual({ a: { b: "c" } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("saveTranslationAction cannot create a key that clashes with a namespace", async () => {
    // Saving is for keys that exist; it must not become a way round addTranslationKey's checks.
    actAs(adminA.id, siteA.domain);
    for (const key of ["errors", "errors.required.x", "home.title.sub"]) {
      const outcome = await run(saveTranslationAction, { key, en: "clash" });
      expect(outcome, key).toMatchObject({ ok: false });
    }
    expect(await db.select().from(translationOverrides)).toEqual([]);
    expect((await catalog(siteA.id, { onlyOverridden: true })).entries).toEqual([]);
  });

  it("refuses a text that is not valid ICU, on its locale's field, keeping what was typed", async () => {
    actAs(adminA.id, siteA.domain);
    for (const broken of ["Forgot {broken", "{count, plural, one {#}", "Open <b>here", "{n, select}"]) {
      const saved = expectFailure(await run(saveTranslationAction, { key: KEY, fr: "Très bien", en: broken }), "errors.messageSyntax");
      expect(saved.fieldErrors?.en?.key, broken).toBe("errors.messageSyntax");
      expect(saved.values, broken).toMatchObject({ key: KEY, fr: "Très bien", en: broken });
    }
    const added = expectFailure(await run(addTranslationKeyAction, { key: "signup_opt12", fr: "Groupe {douze", en: "Twelve" }), "errors.messageSyntax");
    expect(added.fieldErrors?.fr?.key).toBe("errors.messageSyntax");
    expect(added.values).toMatchObject({ fr: "Groupe {douze", en: "Twelve" });
    expect(await db.select().from(translationOverrides)).toEqual([]);
    // Placeholders, plurals, tags and apostrophes the file's message uses are saved as before.
    expectSuccess(await run(saveTranslationAction, { key: "i18n.count", en: "{count, plural, one {# label} other {# labels}} l'été" }));
    expectSuccess(await run(saveTranslationAction, { key: "templates.report.waitsForHours", en: "{count} SMS wait until <when></when>." }));
  });

  it("refuses an argument or tag the key's file message does not use, naming it and what can be used", async () => {
    actAs(adminA.id, siteA.domain);
    const refusals: [string, Record<string, string>, string, Record<string, string>][] = [
      ["home.title", { fr: "Bienvenue chez {site} {missing}" }, "errors.messageArgument", { name: "{missing}", allowed: "{site}" }],
      ["home.title", { fr: "Bienvenue <b>chez</b> {site}" }, "errors.messageNoTags", { tag: "<b>" }],
      ["home.intro", { en: "Hello {name}" }, "errors.messageNoArguments", { name: "{name}" }],
      ["templates.report.waitsForHours", { en: "{count} SMS wait until <b>later</b>." }, "errors.messageTag", { tag: "<b>", allowed: "<when>" }],
      // A number or date format applied to a value the file does not format so.
      ["home.title", { en: "Welcome to {site, number}" }, "errors.messageArgumentKind", { name: "{site}", used: "number", expected: "text" }],
      ["i18n.count", { en: "{count, date} labels" }, "errors.messageArgumentKind", { name: "{count}", used: "date", expected: "number" }],
      // An added key (a group label, shown as it is) is given nothing.
      ["signup_opt13", { fr: "Groupe {n}" }, "errors.messageNoArguments", { name: "{n}" }],
    ];
    await addTranslationKey(siteA.id, "signup_opt13", { fr: "Groupe treize" });
    for (const [key, values, error, errorValues] of refusals) {
      const [locale] = Object.keys(values);
      const saved = expectFailure(await run(saveTranslationAction, { key, ...values }), error);
      expect(saved.fieldErrors?.[locale], `${key} ${values[locale]}`).toEqual({ key: error, values: errorValues });
      expect(saved.values).toMatchObject(values);
    }
    // Both languages wrong: both fields say so in the one answer.
    const both = expectFailure(await run(saveTranslationAction, { key: "home.title", fr: "Bienvenue chez {groupe}", en: "Welcome to <b>{site}</b>" }));
    expect(both.fieldErrors).toEqual({
      fr: { key: "errors.messageArgument", values: { name: "{groupe}", allowed: "{site}" } },
      en: { key: "errors.messageNoTags", values: { tag: "<b>" } },
    });
    const added = expectFailure(await run(addTranslationKeyAction, { key: "signup_opt14", fr: "Groupe <b>quatorze</b>" }), "errors.messageNoTags");
    expect(added.fieldErrors?.fr).toEqual({ key: "errors.messageNoTags", values: { tag: "<b>" } });
    expect((await siteOverrides(siteA.id)).fr).toEqual({ signup_opt13: "Groupe treize" });
    expect(await siteOverrides(siteA.id)).toMatchObject({ en: {} });
  });

  it("every file message can be saved as an override of itself", () => {
    // What saving checks (through the action above); a database round trip per key would be slow.
    const refused: string[] = [];
    for (const locale of ["fr", "en"] as const) {
      for (const [key, value] of Object.entries(flatFileMessages(locale))) {
        const problem = overrideProblem(locale, key, value);
        if (problem) refused.push(`${locale} ${key}: ${JSON.stringify(problem)}`);
      }
    }
    expect(Object.keys(flatFileMessages("en")).length).toBeGreaterThan(100);
    expect(refused).toEqual([]);
  });

  it("saveTranslationAction writes to the caller's site only", async () => {
    await setOverride(siteB.id, "en", KEY, "B's intro");
    actAs(adminA.id, siteA.domain);
    expectSuccess(await run(saveTranslationAction, { key: KEY, en: "A's intro" }));
    expect(await translate(KEY, "en", siteA)).toBe("A's intro");
    expect(await translate(KEY, "en", siteB)).toBe("B's intro");
  });
});

describe("message files", () => {
  it("fr.json and en.json define exactly the same keys", () => {
    const frKeys = Object.keys(flatten(fr)).sort();
    const enKeys = Object.keys(flatten(en)).sort();
    expect(frKeys.filter((k) => !enKeys.includes(k)), "in fr.json only").toEqual([]);
    expect(enKeys.filter((k) => !frKeys.includes(k)), "in en.json only").toEqual([]);
  });

  it("every message is well-formed ICU (a stray <N> would be read as a tag and fail to render)", () => {
    for (const [locale, file] of Object.entries({ fr, en })) {
      const invalid: string[] = [];
      const t = createTranslator({
        locale,
        messages: file,
        // Missing placeholder values are expected here; only a message that does not parse counts.
        onError: (error) => void (error.code === IntlErrorCode.INVALID_MESSAGE && invalid.push(error.message)),
        getMessageFallback: ({ key }) => key,
      });
      const keys = Object.keys(flatten(file));
      // Values, even none, make it compile: without them a plain-looking message skips the parser.
      for (const key of keys) t(key as never, {} as never);
      expect(keys.length).toBeGreaterThan(100);
      expect(invalid, locale).toEqual([]);
    }
  });

  it("no value is empty", () => {
    for (const [name, file] of Object.entries({ fr, en })) {
      const empty = Object.entries(flatten(file)).filter(([, v]) => v.trim() === "");
      expect(empty, name).toEqual([]);
    }
  });

  it("every errors.* key the source refers to exists in both files", () => {
    const root = process.cwd();
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.(ts|tsx)$/.test(name)) files.push(full);
      }
    };
    for (const dir of ["lib", "app", "components"]) walk(path.join(root, dir));
    expect(files.length).toBeGreaterThan(10);

    const referenced = new Set<string>();
    for (const file of files) {
      const code = readFileSync(file, "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "") // block comments (doc examples such as "errors.x")
        .replace(/(^|\s)\/\/.*$/gm, "$1"); // line comments
      for (const m of code.matchAll(/["'`](errors\.[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)["'`]/g)) referenced.add(m[1]);
    }
    // The generic keys built from zod issues must be among them, or the scan is broken.
    expect([...referenced]).toEqual(expect.arrayContaining(["errors.required", "errors.forbidden", "errors.signInRequired", "errors.keyNamespace"]));

    const frFlat = flatten(fr);
    const enFlat = flatten(en);
    expect([...referenced].filter((k) => !(k in enFlat)), "missing in en.json").toEqual([]);
    expect([...referenced].filter((k) => !(k in frFlat)), "missing in fr.json").toEqual([]);
  });
});

describe("counts in the SMS counters and length limits", () => {
  const format = (locale: "en" | "fr", key: string, values: Record<string, string | number>) =>
    createTranslator({ locale, messages: locale === "en" ? en : fr })(key as never, values as never);
  it("agree with their number in both languages (French singular for 0 and 1) and group thousands", () => {
    const count = (locale: "en" | "fr", units: number, remaining: number) => format(locale, "sms.count", { units, segments: units ? 1 : 0, encoding: "GSM-7", remaining });
    expect(count("en", 1, 159)).toBe("1 unit · 1 segment (GSM-7) · 159 units left in this segment");
    expect(count("en", 0, 160)).toBe("0 units · no segment (GSM-7) · 160 units left in this segment");
    expect(count("fr", 1, 159)).toBe("1 unité · 1 segment (GSM-7) · 159 restantes dans ce segment");
    expect(count("fr", 0, 1)).toBe("0 unité · aucun segment (GSM-7) · 1 restante dans ce segment");
    expect(format("en", "queue.detail.segmentsValue", { count: 1, encoding: "UCS-2", units: 1 })).toBe("1 (UCS-2, 1 unit)");
    expect(format("en", "sms.tooLong", { length: 1601, max: 1600 })).toBe("1,601 characters: at most 1,600. Shorten it to send it.");
    // French groups thousands with a narrow no-break space.
    expect(format("fr", "sms.tooLong", { length: 1601, max: 1600 })).toBe("1\u202f601 caractères\u202f: 1\u202f600 au plus. Raccourcissez-le pour l’envoyer.");
    // The retry's answer agrees with how many were left out.
    expect(format("en", "templates.retry.doneLeftOut", { count: 1, list: "1 number opted out of SMS" })).toBe("Left out, as it would fail again: 1 number opted out of SMS.");
    expect(format("fr", "templates.retry.doneLeftOut", { count: 2, list: "2 numéros désinscrits des SMS" })).toBe("Laissés de côté, car ils échoueraient de nouveau\u202f: 2 numéros désinscrits des SMS.");
    // Action errors carry their values as strings.
    expect(format("en", "errors.tooLong", { max: "1600" })).toBe("At most 1,600 characters.");
    // The placeholder help shows the fallback syntax itself, braces quoted from ICU.
    expect(format("en", "templates.placeholders.describe.name", {})).toBe("the recipient’s name; {{name|friend}} writes “friend” for those without one");
  });
});
