import type { ActionResult } from "./action";
import type { Msg } from "./errors";

/**
 * What a failed action hands back to its form: the values as typed (shown again, so nothing is
 * lost) and each field's error. Empty for no answer yet or a success.
 */
export function failedInput(state: ActionResult<unknown> | null | undefined): { values?: Record<string, string>; errors?: Record<string, Msg> } {
  return state && !state.ok ? { values: state.values, errors: state.fieldErrors } : {};
}
