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

/** The fields keepingPasswords keeps in the browser: any whose name says password. */
const PASSWORD_FIELD = /password/i;

const withoutPasswords = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).filter(([name]) => !PASSWORD_FIELD.test(name)));

/**
 * A form's action, run from the browser, whose failed answer carries the passwords as typed. The
 * server never echoes a password (echoValues), so a refused form would come back with its
 * password fields emptied, and React's reset after the action empties them in the page: the
 * person types them all again for one wrong field. Taken here from the submitted form data, they
 * never travel back from the server; the fields show them as a browser's own field keeps its
 * value. A success carries none, so the fields are emptied. The previous answer, which React
 * hands the next call and which then travels to the server as the action's first argument, goes
 * without them: an earlier attempt's passwords are not sent again.
 */
export function keepingPasswords<T>(act: (state: unknown, data: FormData) => Promise<ActionResult<T>>) {
  return async (state: ActionResult<T> | null, data: FormData): Promise<ActionResult<T>> => {
    const previous = state && !state.ok && state.values ? { ...state, values: withoutPasswords(state.values) } : state;
    const answer = await act(previous, data);
    if (answer.ok) return answer;
    const typed = [...data.entries()].filter((entry): entry is [string, string] => PASSWORD_FIELD.test(entry[0]) && typeof entry[1] === "string");
    return { ...answer, values: { ...answer.values, ...Object.fromEntries(typed) } };
  };
}
