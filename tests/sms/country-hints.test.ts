import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createTranslator, NextIntlClientProvider } from "next-intl";
import { getCountries } from "libphonenumber-js/max";
import type { Site, User } from "@/db/schema";
import GroupPage from "@/app/[locale]/manage/subscriptions/[group]/page";
import { AddClients } from "@/app/[locale]/manage/subscriptions/[group]/add-client";
import { addSubscriberAction } from "@/app/[locale]/manage/subscriptions/actions";
import { sendTestSmsAction } from "@/app/[locale]/manage/queue/actions";
import { saveTemplateAction } from "@/app/[locale]/manage/templates/actions";
import { setOverride } from "@/lib/i18n/overrides";
import { screenLocale } from "@/lib/i18n/reader-locale";
import { normalizePhone } from "@/lib/sms/phone";
import { phoneExamples, type PhoneExamples } from "@/lib/sms/phone-examples";
import type { Msg } from "@/lib/actions/errors";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { actAs } from "../helpers/request";
import { findAll } from "../helpers/server-page";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, run, type AnyAction } from "../helpers/actions";

/**
 * Every hint and example about phone numbers was French (+33 6 12 34 56 78, "06 12") whatever the
 * site's country, in which numbers typed nationally are read: a Belgian site taught a format it
 * does not read, and refused "06 10 20 30 77" without saying it reads national numbers as Belgian.
 */

vi.mock("next-intl/server", async () => (await import("../helpers/server-page")).englishIntlServer());

const messages = { en, fr };
function render(node: ReactNode, locale: "en" | "fr") {
  type Props = ComponentProps<typeof NextIntlClientProvider>;
  const props: Omit<Props, "children"> = { locale, messages: messages[locale], timeZone: "Europe/Paris" };
  return renderToStaticMarkup(createElement(NextIntlClientProvider, props as Props, node));
}
const said = (msg: Msg, locale: "en" | "fr") => createTranslator({ locale, messages: messages[locale] })(msg.key as never, msg.values as never);

describe("phoneExamples", () => {
  it("gives a mobile number of the site's country, written internationally and nationally, and the country's name in the reader's language", () => {
    const cases: [string, "en" | "fr", Partial<PhoneExamples>][] = [
      ["FR", "en", { country: "France", example: "+33 6 12 34 56 78", national: "06 12 34 56 78", e164: "+33612345678", prefix: "+33", internationalStart: "+33 6", nationalStart: "06", other: "+32" }],
      ["BE", "en", { country: "Belgium", example: "+32 450 00 12 34", national: "0450 00 12 34", e164: "+32450001234", prefix: "+32", internationalStart: "+32 450", nationalStart: "0450", other: "+33" }],
      ["BE", "fr", { country: "Belgique", national: "0450 00 12 34" }],
      ["be", "fr", { country: "Belgique", national: "0450 00 12 34" }],
      ["CH", "fr", { country: "Suisse", example: "+41 78 123 45 67", national: "078 123 45 67", prefix: "+41", other: "+33" }],
      ["GB", "en", { country: "United Kingdom", example: "+44 7400 123456", national: "07400 123456", internationalStart: "+44 7400", nationalStart: "07400" }],
      ["US", "en", { country: "United States", example: "+1 201 555 0123", national: "(201) 555-0123", prefix: "+1", nationalStart: "(201)" }],
      // Réunion shares France's numbering plan (lib/sms/phone.ts): a foreign number there is not +33.
      ["RE", "fr", { country: "La Réunion", national: "0692 12 34 56", other: "+32" }],
    ];
    for (const [code, locale, expected] of cases) expect(phoneExamples(code, locale), `${code} ${locale}`).toMatchObject(expected);
  });

  it("every country libphonenumber supports has its example, read back by the site's own rule to the same number", () => {
    for (const code of getCountries()) {
      const ex = phoneExamples(code, "en");
      expect(normalizePhone(ex.national, code), code).toEqual({ ok: true, e164: ex.e164 });
      expect(normalizePhone(ex.example, code), code).toEqual({ ok: true, e164: ex.e164 });
    }
  });

  it("a country with no phone data (a code stored before the form checked it) reads no national number: its examples are international", () => {
    const ex = phoneExamples("AQ", "en");
    expect(ex.country).toBe("Antarctica");
    expect(ex.national).toBe(ex.example);
    expect(ex.example.startsWith("+")).toBe(true);
    expect(normalizePhone(ex.national, "AQ")).toEqual({ ok: true, e164: ex.e164 });
    expect(phoneExamples("not a code", "en").country).toBe("NOT A CODE"); // named as stored, never a crash
  });
});

describe("an action's messages name things in the screen's language", () => {
  it("reads it from the page's path (proxy.ts's header), else the visitor's, else the site's", () => {
    expect(screenLocale(new Headers({ "x-next-intl-locale": "en", "accept-language": "fr" }), "fr")).toBe("en");
    expect(screenLocale(new Headers({ "x-next-intl-locale": "xx", "accept-language": "en" }), "fr")).toBe("en");
    expect(screenLocale(new Headers(), "fr")).toBe("fr");
  });
});

describe("a Belgian site", () => {
  let site: Site;
  let admin: User;
  beforeAll(async () => {
    site = await makeSite({ defaultCountry: "BE", defaultLocale: "en" });
    admin = await makeUser(site.id, "admin");
    await setOverride(site.id, "en", "signup_opt1", "News");
  });

  it("shows Belgian examples in the add forms' phone hints, in either language", async () => {
    actAs(admin.id, site.domain);
    const page = await GroupPage({ params: Promise.resolve({ locale: "en", group: "1" }), searchParams: Promise.resolve({}) });
    const [add] = findAll<ComponentProps<typeof AddClients>>(page, AddClients);
    const english = render(add, "en");
    expect(english).toContain("International (+32 450 00 12 34) or in national format (Belgium: 0450 00 12 34).");
    expect(english).toContain("(Ann Example &lt;ann@example.org&gt; 0450 00 12 34, or columns");
    expect(english).not.toContain("+33");
    expect(english).not.toContain("06 12");
    const french = render(createElement(AddClients, { ...add.props, phone: phoneExamples("BE", "fr") }), "fr");
    expect(french).toContain("International (+32 450 00 12 34) ou au format national (Belgique\u202f: 0450 00 12 34).");
    expect(french).not.toContain("+33");
  });

  it("refuses a French mobile typed nationally saying it reads national numbers as Belgian, and how to type another country's", async () => {
    actAs(admin.id, site.domain);
    const failed = expectFailure(await run(addSubscriberAction, { group: "1", email: "ann@example.org", name: "", phone: "06 10 20 30 77" }), "errors.checkFields");
    const msg = failed.fieldErrors!.phone;
    expect(msg).toEqual({ key: "errors.invalidPhone", values: { number: "06 10 20 30 77", read: "national", country: "Belgium", other: "+33" } });
    expect(said(msg, "en")).toBe("06 10 20 30 77 is not a valid mobile number in Belgium: type an international number (+33…) for another country.");
    expect(failed.values).toMatchObject({ phone: "06 10 20 30 77" });
    // The same number with its country code is added.
    expect(await run(addSubscriberAction, { group: "1", email: "ann@example.org", name: "", phone: "+33 6 10 20 30 77" })).toMatchObject({ ok: true });
  });

  it("says it in French too, with French typography, naming the country in French", () => {
    const msg: Msg = { key: "errors.invalidPhone", values: { number: "06 10 20 30 77", read: "national", country: "Belgique", other: "+33" } };
    expect(said(msg, "fr")).toBe("06 10 20 30 77 n’est pas un numéro de mobile valide au format national (Belgique)\u202f: pour un autre pays, saisissez un numéro international (+33…).");
  });

  // An SMS template's pasted recipients, refused whole for their bad numbers, said only "These are
  // not valid mobile numbers: …", where a single number's refusal named the country.
  const smsTemplate = (pastedRecipients: string, locale = "en") => ({ locale, name: "Belgian list", channel: "sms", text: "Hello", textEdited: "on", pastedRecipients });

  it("refuses pasted French mobiles typed nationally saying it reads national numbers as Belgian, and how to type another country's", async () => {
    actAs(admin.id, site.domain);
    const pasted = "06 10 20 30 77\n+33 6 10 20 30 78\nJean <06 11 22 33 44>";
    const failed = expectFailure(await run(saveTemplateAction as AnyAction, smsTemplate(pasted)), "errors.invalidPhones");
    const msg = failed.fieldErrors!.pastedRecipients;
    expect(msg).toEqual({ key: "errors.invalidPhones", values: { list: "06 10 20 30 77, Jean <06 11 22 33 44>", count: 2, read: "national", country: "Belgium", other: "+33" } });
    expect(said(msg, "en")).toBe("These are not valid mobile numbers in Belgium: 06 10 20 30 77, Jean <06 11 22 33 44>. Type an international number (+33…) for another country.");
    expect(failed.values).toMatchObject({ pastedRecipients: pasted });
    const one = expectFailure(await run(saveTemplateAction as AnyAction, smsTemplate("+32 470 12 34 56\n06 10 20 30 77")), "errors.invalidPhones").fieldErrors!.pastedRecipients;
    expect(said(one, "en")).toBe("This is not a valid mobile number in Belgium: 06 10 20 30 77. Type an international number (+33…) for another country.");
  });

  it("says it on a French screen in French, naming the country in French", async () => {
    const french = await makeSite({ defaultCountry: "BE", defaultLocale: "fr" });
    actAs((await makeUser(french.id, "admin")).id, french.domain);
    const failed = expectFailure(await run(saveTemplateAction as AnyAction, smsTemplate("06 10 20 30 77\n06 11 22 33 44", "fr")), "errors.invalidPhones");
    const msg = failed.fieldErrors!.pastedRecipients;
    expect(msg.values).toMatchObject({ read: "national", country: "Belgique", other: "+33" });
    expect(said(msg, "fr")).toBe("Ce ne sont pas des numéros de mobile valides au format national (Belgique)\u202f: 06 10 20 30 77, 06 11 22 33 44. Pour un autre pays, saisissez un numéro international (+33…).");
    expect(said({ ...msg, values: { ...msg.values, count: 1, list: "06 10 20 30 77" } }, "fr")).toBe(
      "Ce n’est pas un numéro de mobile valide au format national (Belgique)\u202f: 06 10 20 30 77. Pour un autre pays, saisissez un numéro international (+33…).",
    );
  });

  it("names no country for pasted numbers none of which was read nationally", async () => {
    actAs(admin.id, site.domain);
    const failed = expectFailure(await run(saveTemplateAction as AnyAction, smsTemplate("+33 1 40 00 00 00; not a number")), "errors.invalidPhones");
    const msg = failed.fieldErrors!.pastedRecipients;
    expect(msg.values).toMatchObject({ read: "other" });
    expect(said(msg, "en")).toBe("These are not valid mobile numbers: +33 1 40 00 00 00, not a number.");
    expect(said(msg, "fr")).toBe("Ce ne sont pas des numéros de mobile valides\u202f: +33 1 40 00 00 00, not a number.");
  });

  it("names no country for a number typed with its country code, which no country's reading explains", async () => {
    actAs(admin.id, site.domain);
    const failed = expectFailure(await run(sendTestSmsAction, { to: "+33 1 40 00 00 00", text: "Hello" }), "errors.checkFields");
    expect(failed.fieldErrors!.to).toMatchObject({ key: "errors.invalidPhone", values: { number: "+33 1 40 00 00 00", read: "other" } });
    expect(said(failed.fieldErrors!.to, "en")).toBe("+33 1 40 00 00 00 is not a valid mobile number.");
    expect(said(failed.fieldErrors!.to, "fr")).toBe("+33 1 40 00 00 00 n’est pas un numéro de mobile valide.");
  });
});
