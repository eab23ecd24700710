import { describe, expect, it } from "vitest";
import type { ActionResult } from "@/lib/actions/action";
import { failedInput } from "@/lib/actions/form-state";

// A form's password fields keep what was typed after a refusal (Field's keepTyped, fed by
// `refused`): the server never echoes a password, so the browser keeps them, for every refusal.
describe("failedInput", () => {
  it("a refused answer: refused, with the values echoed and each field's error", () => {
    const answer: ActionResult = { ok: false, error: { key: "errors.checkFields" }, fieldErrors: { email: { key: "errors.email" } }, values: { name: "Ann", email: "ann-at-example.org" } };
    expect(failedInput(answer)).toEqual({ refused: true, values: { name: "Ann", email: "ann-at-example.org" }, errors: { email: { key: "errors.email" } } });
  });

  it("a refusal that echoes nothing (a role refused) is a refusal too: the passwords stay typed", () => {
    expect(failedInput({ ok: false, error: { key: "errors.forbidden" } })).toEqual({ refused: true, values: undefined, errors: undefined });
  });

  it("no answer yet, or a success: not refused, nothing to show again (password fields empty after the reset)", () => {
    expect(failedInput(null)).toEqual({ refused: false });
    expect(failedInput(undefined)).toEqual({ refused: false });
    expect(failedInput({ ok: true, data: { signInAgain: false } })).toEqual({ refused: false });
  });
});
