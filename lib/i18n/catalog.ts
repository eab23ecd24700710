import type { Msg } from "@/lib/actions/errors";
import { locales, type Locale } from "./config";
import { fileKeys, flatFileMessages } from "./messages";
import { siteOverrides } from "./overrides";
import { overrideProblem } from "./placeholders";

export type CatalogEntry = {
  key: string;
  file: Partial<Record<Locale, string>>;
  override: Partial<Record<Locale, string>>;
  /** Added from the screen: no file defines it. */
  custom: boolean;
  /** Overrides the pages do not use (they show the file's message instead), with the reason. */
  problems?: Partial<Record<Locale, Msg>>;
};

export const CATALOG_PAGE_SIZE = 50;

/**
 * Every key a site can show, with the files' values and the site's overrides side by side.
 * Search matches the key name or any value, in any locale, case-insensitively.
 */
export async function catalog(siteId: number, options: { q?: string; page?: number; onlyOverridden?: boolean } = {}) {
  const overrides = await siteOverrides(siteId);
  const known = new Set(fileKeys());
  const keys = new Set(known);
  for (const l of locales) for (const k of Object.keys(overrides[l])) keys.add(k);
  const q = options.q?.trim().toLowerCase();
  const entries: CatalogEntry[] = [];
  for (const key of [...keys].sort()) {
    const entry: CatalogEntry = { key, file: {}, override: {}, custom: !known.has(key) };
    for (const l of locales) {
      const f = flatFileMessages(l)[key];
      if (f !== undefined) entry.file[l] = f;
      const o = overrides[l][key];
      if (o !== undefined) entry.override[l] = o;
      const problem = o === undefined ? null : overrideProblem(l, key, o);
      if (problem) entry.problems = { ...entry.problems, [l]: problem };
    }
    if (options.onlyOverridden && Object.keys(entry.override).length === 0) continue;
    if (q && !matches(entry, q)) continue;
    entries.push(entry);
  }
  const pages = Math.max(1, Math.ceil(entries.length / CATALOG_PAGE_SIZE));
  const page = Math.min(Math.max(options.page ?? 1, 1), pages);
  return { total: entries.length, page, pages, entries: entries.slice((page - 1) * CATALOG_PAGE_SIZE, page * CATALOG_PAGE_SIZE) };
}

function matches(entry: CatalogEntry, q: string) {
  if (entry.key.toLowerCase().includes(q)) return true;
  return [...Object.values(entry.file), ...Object.values(entry.override)].some((v) => v?.toLowerCase().includes(q));
}

/** Whether a new key can exist: not defined yet, and neither a namespace nor inside a leaf. */
export function keyConflict(key: string, existing: Iterable<string>): "exists" | "namespace" | null {
  for (const k of existing) {
    if (k === key) return "exists";
    if (k.startsWith(`${key}.`) || key.startsWith(`${k}.`)) return "namespace";
  }
  return null;
}
