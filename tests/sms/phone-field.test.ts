import { describe, expect, it } from "vitest";
import { phoneInput, requiredPhoneInput } from "@/lib/actions/phone-input";
import { ActionError } from "@/lib/actions/errors";
import { phoneOrProblem, typedPhone, type PhoneOptions } from "@/lib/sms/phone-field";

// A form's schema (phoneInput) and a handler (typedPhone) read a typed number by one rule
// (phoneOrProblem): the same number is accepted, or refused with the same message, by both.
const site = { defaultCountry: "FR" };

function bySchema(typed: string, options?: PhoneOptions) {
  const parsed = phoneInput(site, "en", options).safeParse(typed);
  return parsed.success ? { ok: true, e164: parsed.data } : { ok: false, problem: { key: parsed.error.issues[0].message, values: (parsed.error.issues[0] as { params?: unknown }).params } };
}
function byHandler(typed: string, options?: PhoneOptions) {
  try {
    return { ok: true, e164: typedPhone(typed, site, "en", options) };
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    expect(error.field).toBe("phone");
    return { ok: false, problem: error.msg };
  }
}

describe("one rule for a typed mobile number", () => {
  const cases: [string, PhoneOptions | undefined, ReturnType<typeof phoneOrProblem>][] = [
    ["06 12 34 56 78", undefined, { ok: true, e164: "+33612345678" }],
    [" +32 470 12 34 56 ", undefined, { ok: true, e164: "+32470123456" }],
    ["", undefined, { ok: true, e164: null }],
    ["   ", undefined, { ok: true, e164: null }],
    ["12 34", undefined, { ok: false, problem: { key: "errors.invalidPhone", values: { number: "12 34", read: "national", country: "France", other: "+32" } } }],
    // A landline cannot take an SMS, unless the field asks for any line.
    [" 01 40 00 00 00", undefined, { ok: false, problem: { key: "errors.invalidPhone", values: { number: "01 40 00 00 00", read: "national", country: "France", other: "+32" } } }],
    ["01 40 00 00 00", { anyLine: true }, { ok: true, e164: "+33140000000" }],
  ];
  it.each(cases)("%j %j", (typed, options, expected) => {
    expect(phoneOrProblem(typed, site.defaultCountry, "en", options)).toEqual(expected);
    expect(bySchema(typed, options)).toEqual(expected);
    expect(byHandler(typed, options)).toEqual(expected);
  });

  it("a required number refuses none, also when the field is missing", () => {
    expect(requiredPhoneInput(site, "en").safeParse("06 12 34 56 78")).toMatchObject({ success: true, data: "+33612345678" });
    for (const typed of ["", "  ", undefined]) {
      expect(requiredPhoneInput(site, "en").safeParse(typed).error?.issues[0].message).toBe("errors.required");
    }
  });
});
