import type { z } from "zod";

/** A message a person reads: a translation key (namespace `errors`) and its ICU values. */
export type Msg = { key: string; values?: Record<string, string | number> };

/**
 * zod issue → translated message. A schema can name its own key with `.refine(..., "errors.x")`
 * or `{ message: "errors.x" }` (a custom issue's `params` giving its values); otherwise the issue
 * code picks a generic one.
 */
export function issueMessage(issue: z.core.$ZodIssue): Msg {
  // A custom check's `params` are its message's values (errors.invalidPhone quotes the number).
  if (issue.message.startsWith("errors.")) return issue.code === "custom" && issue.params ? { key: issue.message, values: issue.params } : { key: issue.message };
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "string") return Number(issue.minimum) <= 1 ? { key: "errors.required" } : { key: "errors.tooShort", values: { min: Number(issue.minimum) } };
      return { key: "errors.tooSmall", values: { min: Number(issue.minimum) } };
    case "too_big":
      if (issue.origin === "string") return { key: "errors.tooLong", values: { max: Number(issue.maximum) } };
      return { key: "errors.tooBig", values: { max: Number(issue.maximum) } };
    case "invalid_format":
      return { key: issue.format === "email" ? "errors.email" : "errors.format" };
    case "invalid_type":
      return { key: issue.input === undefined ? "errors.required" : "errors.invalid" };
    case "invalid_value":
      return { key: "errors.choice" };
    default:
      return { key: "errors.invalid" };
  }
}

/**
 * Text PostgreSQL cannot store (the NUL character) is refused for every field of every action,
 * here once, rather than surfacing as a database error.
 */
export function unstorableFields(input: unknown): Record<string, Msg> | null {
  if (!input || typeof input !== "object") return null;
  const out: Record<string, Msg> = {};
  for (const [field, value] of Object.entries(input as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === "string" && v.includes("\u0000"))) out[field] = { key: "errors.invalidCharacters" };
  }
  return Object.keys(out).length ? out : null;
}

export function fieldErrors(error: z.ZodError): Record<string, Msg> {
  const out: Record<string, Msg> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "_form");
    out[field] ??= issueMessage(issue);
  }
  return out;
}

/** Thrown inside a handler to fail with a translated message (and optionally one field). */
export class ActionError extends Error {
  /** `alsoFields`: more fields refused at once, so the form shows every error in one answer. */
  constructor(
    public msg: Msg,
    public field?: string,
    public alsoFields?: Record<string, Msg>,
  ) {
    super(msg.key);
  }
}
