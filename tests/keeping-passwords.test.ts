import { describe, expect, it } from "vitest";
import type { ActionResult } from "@/lib/actions/action";
import { keepingPasswords } from "@/lib/actions/form-state";

// The server never echoes a password (echoValues); the form's action, run in the browser, adds
// the ones typed to a failed answer so that the fields show them again.
describe("keepingPasswords", () => {
  const typed = () => {
    const data = new FormData();
    data.set("currentPassword", "wrong-one");
    data.set("password", "brand-new-pass");
    data.set("confirmPassword", "brand-new-pass");
    data.set("name", "Ann");
    return data;
  };

  it("a failed answer carries the passwords as typed, with the values the server echoed", async () => {
    const refused: ActionResult<undefined> = { ok: false, error: { key: "errors.currentPasswordWrong" }, fieldErrors: { currentPassword: { key: "errors.currentPasswordWrong" } }, values: { name: "Ann" } };
    const answer = await keepingPasswords(async () => refused)(null, typed());
    expect(answer).toEqual({ ...refused, values: { name: "Ann", currentPassword: "wrong-one", password: "brand-new-pass", confirmPassword: "brand-new-pass" } });
  });

  it("a success carries none, so the fields are emptied", async () => {
    const done: ActionResult<{ signInAgain: boolean }> = { ok: true, data: { signInAgain: false } };
    expect(await keepingPasswords(async () => done)(null, typed())).toBe(done);
  });

  it("never hands the server the passwords of an earlier refused attempt (its answer is the state React passes back)", async () => {
    const refused: ActionResult<undefined> = { ok: false, error: { key: "errors.currentPasswordWrong" }, values: { name: "Ann" } };
    const sent: unknown[] = [];
    const act = keepingPasswords(async (state: unknown) => (sent.push(state), refused));
    const first = await act(null, typed());
    expect(first.ok || first.values?.password).toBe("brand-new-pass");
    // The second submit: React calls the action with the first answer, which would travel to the server.
    await act(first, typed());
    expect(JSON.stringify(sent)).not.toMatch(/wrong-one|brand-new-pass/);
  });
});
