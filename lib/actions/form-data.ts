/**
 * FormData → plain object. Repeated names become arrays; Next's internal `$ACTION_*` fields are dropped.
 * A form travels as multipart/form-data, whose encoding turns every line break of a textarea into
 * CRLF: turned back into "\n", each value is what the field held when the person saw it (an SMS
 * text box counts its segments with one unit per line break, and the queue must send that text).
 */
export function formDataToObject(input: unknown): unknown {
  if (!(input instanceof FormData)) return input;
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(input.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = input
      .getAll(key)
      .filter((v): v is string => typeof v === "string")
      .map((v) => v.replace(/\r\n/g, "\n"));
    out[key] = values.length > 1 ? values : (values[0] ?? "");
  }
  return out;
}

/** What to send back so a form shows again exactly what the person typed (never passwords). */
export function echoValues(input: unknown): Record<string, string> {
  if (!input || typeof input !== "object") return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (/password/i.test(k)) continue;
    if (typeof v === "string") out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x) => typeof x === "string").join("\n");
  }
  return out;
}
