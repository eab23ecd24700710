import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { usableKey, type Locale } from "./config";

export type Messages = { [key: string]: string | Messages };

const files: Record<Locale, Messages> = { fr, en };

export function fileMessages(locale: Locale): Messages {
  return files[locale];
}

/** `{ a: { b: "x" } }` → `{ "a.b": "x" }` */
export function flatten(messages: Messages, prefix = "", out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(messages)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out[key] = v;
    else flatten(v, key, out);
  }
  return out;
}

/** Inverse of flatten; later entries win. A key that would replace a namespace is ignored. */
export function unflatten(flat: Record<string, string>): Messages {
  const root: Messages = {};
  for (const [key, value] of Object.entries(flat)) {
    // Never followed: a part such as `__proto__` would lead out of these objects (usableKey).
    if (!usableKey(key)) continue;
    const parts = key.split(".");
    let node = root;
    let ok = true;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (typeof next === "string") {
        ok = false;
        break;
      }
      node = (node[part] ??= {}) as Messages;
    }
    const leaf = parts[parts.length - 1];
    if (ok && typeof node[leaf] !== "object") node[leaf] = value;
  }
  return root;
}

const flatCache = new Map<Locale, Record<string, string>>();
export function flatFileMessages(locale: Locale): Record<string, string> {
  let flat = flatCache.get(locale);
  if (!flat) flatCache.set(locale, (flat = flatten(files[locale])));
  return flat;
}

let keys: readonly string[] | null = null;

/** Every key some file defines, sorted. The files are part of the build: computed once. */
export function fileKeys(): readonly string[] {
  if (keys) return keys;
  const found = new Set<string>();
  for (const locale of Object.keys(files) as Locale[]) for (const k of Object.keys(flatFileMessages(locale))) found.add(k);
  return (keys = Object.freeze([...found].sort()));
}
