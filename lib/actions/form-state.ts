import type { ActionResult } from "./action";
import type { Msg } from "./errors";

/**
 * What a failed action hands back to its form: the values as typed (shown again, so nothing is
 * lost) and each field's error. Empty for no answer yet or a success.
 */
export function failedInput(state: ActionResult<unknown> | null | undefined): { values?: Record<string, string>; errors?: Record<string, Msg> } {
  return state && !state.ok ? { values: state.values, errors: state.fieldErrors } : {};
}

/**
 * Whether a CheckboxField was ticked, after a failed action (its echoed values) or else as
 * stored. A ticked box comes back as "off\non": its hidden "off" travels with it.
 */
export function echoedChecked(values: Record<string, string> | undefined, name: string, stored: boolean | null | undefined): boolean {
  return values ? (values[name] ?? "").split("\n").includes("on") : !!stored;
}
