import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import type { Msg } from "@/lib/actions/errors";
import { locales, type Locale } from "./config";
import { flatFileMessages } from "./messages";

/**
 * What an argument must be for a message to format it: a number (`number`, `plural`,
 * `selectordinal`) or a date (`date`, `time`; anything else throws). `text` (`{x}`, `select`)
 * accepts any value.
 */
type Kind = "text" | "number" | "date";

type Placeholders = { args: Map<string, Set<Kind>>; tags: Set<string> };

const kindOf: Partial<Record<TYPE, Kind>> = {
  [TYPE.argument]: "text",
  [TYPE.select]: "text",
  [TYPE.number]: "number",
  [TYPE.plural]: "number",
  [TYPE.date]: "date",
  [TYPE.time]: "date",
};

function collect(elements: MessageFormatElement[], into: Placeholders) {
  for (const el of elements) {
    if (el.type === TYPE.tag) {
      into.tags.add(el.value);
      collect(el.children, into);
      continue;
    }
    const kind = kindOf[el.type];
    if (kind && "value" in el) {
      const kinds = into.args.get(el.value) ?? new Set<Kind>();
      into.args.set(el.value, kinds.add(kind));
    }
    if (el.type === TYPE.plural || el.type === TYPE.select) for (const option of Object.values(el.options)) collect(option.value, into);
  }
}

/** The arguments and tags of a message, parsed as next-intl parses it; throws if it does not parse. */
function placeholdersOf(message: string): Placeholders {
  const found: Placeholders = { args: new Map(), tags: new Set() };
  collect(parse(message), found);
  return found;
}

/** The files are part of the build: each of their messages is parsed once. */
const fileCache = new Map<string, Placeholders>();
function filePlaceholders(message: string) {
  let found = fileCache.get(message);
  if (!found) fileCache.set(message, (found = placeholdersOf(message)));
  return found;
}

/**
 * What the pages supply to a key: what its file message uses (this locale's, else the other's,
 * the files having the same keys). A key no file defines is one an admin added, in practice a
 * group label `signup_opt<N>`, which is shown as it is and given nothing: no argument, no tag.
 */
function suppliedTo(locale: Locale, key: string): Placeholders {
  const file = flatFileMessages(locale)[key] ?? locales.map((l) => flatFileMessages(l)[key]).find((m) => m !== undefined);
  return filePlaceholders(file ?? "");
}

const braces = (names: Iterable<string>) => [...names].map((n) => `{${n}}`).join(", ");
const angles = (names: Iterable<string>) => [...names].map((n) => `<${n}>`).join(", ");

/** `number` or `date` when the file formats the argument so; `text` otherwise. */
const strictestKind = (kinds: Set<Kind>): Kind => (kinds.has("number") ? "number" : kinds.has("date") ? "date" : "text");

/**
 * Why a text cannot replace a key's message, or null. The pages format an override with the
 * values and tags they give the file's message: an argument or tag it does not use, or a number
 * or date format applied to a value that is not one, fails there and the page would show the key.
 */
export function overrideProblem(locale: Locale, key: string, value: string): Msg | null {
  let used: Placeholders;
  try {
    used = placeholdersOf(value);
  } catch {
    return { key: "errors.messageSyntax" };
  }
  const supplied = suppliedTo(locale, key);
  for (const [name, kinds] of used.args) {
    const given = supplied.args.get(name);
    if (!given) {
      if (supplied.args.size === 0) return { key: "errors.messageNoArguments", values: { name: `{${name}}` } };
      return { key: "errors.messageArgument", values: { name: `{${name}}`, allowed: braces(supplied.args.keys()) } };
    }
    const bad = [...kinds].find((k) => k !== "text" && !given.has(k));
    if (bad) return { key: "errors.messageArgumentKind", values: { name: `{${name}}`, used: bad, expected: strictestKind(given) } };
  }
  const tag = [...used.tags].find((t) => !supplied.tags.has(t));
  if (tag === undefined) return null;
  if (supplied.tags.size === 0) return { key: "errors.messageNoTags", values: { tag: `<${tag}>` } };
  return { key: "errors.messageTag", values: { tag: `<${tag}>`, allowed: angles(supplied.tags) } };
}
