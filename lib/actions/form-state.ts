import type { ActionResult } from "./action";
import type { Msg } from "./errors";

/**
 * What a failed action hands back to its form: the values as typed (shown again, so nothing is
 * lost) and each field's error. Empty for no answer yet or a success. `refused`: the answer shown
 * is a failure, whatever its cause (a Field with `keepTyped={refused}` keeps the password typed in
 * it, which the server never sends back).
 */
export function failedInput(state: ActionResult<unknown> | null | undefined): { refused: boolean; values?: Record<string, string>; errors?: Record<string, Msg> } {
  return state && !state.ok ? { refused: true, values: state.values, errors: state.fieldErrors } : { refused: false };
}

/**
 * Whether a CheckboxField was ticked, after a failed action (its echoed values) or else as
 * stored. A ticked box comes back as "off\non": its hidden "off" travels with it.
 */
export function echoedChecked(values: Record<string, string> | undefined, name: string, stored: boolean | null | undefined): boolean {
  return values ? (values[name] ?? "").split("\n").includes("on") : !!stored;
}
