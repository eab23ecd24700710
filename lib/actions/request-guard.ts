import { ACTION_BODY_LIMIT } from "@/lib/newsletters/import-limits";
import { requestHost } from "@/lib/sites/request-host";

/**
 * Server-action requests Next.js would answer with a 500: it throws on them while decoding,
 * before any action runs (a body that is not JSON, a reference to a part a text body cannot
 * have, nesting deep enough to overflow its stack, broken multipart, a body over the limit, an
 * Origin that is not this host or is "null"). They are the client's fault, so proxy.ts answers
 * them first with the 4xx they deserve. A browser running the app never sends one.
 */
export type ActionRequestProblem = { status: 400 | 403 | 413; reason: string };

/** Deeper than any argument the app's actions take; React decodes recursively. */
const MAX_DEPTH = 64;

/**
 * Whether a "$…" string of a text body refers to something the body does not carry. React's
 * reply format (react-server-dom-webpack, parseModelString): "$$" escapes a "$"; "$D", "$n",
 * "$undefined", "$Infinity", "$-0", "$NaN" are values; "$T" a temporary reference and "$K" a
 * FormData built from the body's other entries (none here). A reference to a part ("$1",
 * "$Q1", "$@2", "$h3"…) needs that part, and a text body is part 0 alone: React then waits for
 * it until the stream ends and throws. Part 0 itself, with a path ("$0:1:tags", how React writes
 * an object met twice), must lead somewhere. Blobs, typed arrays and streams only travel in
 * multipart bodies.
 */
function missingReference(root: unknown, value: string): boolean {
  const kind = value[1];
  if (kind === undefined || "$DnuIN-TK".includes(kind)) return false;
  if ("BAOoUSsLlGgMmVRrXx".includes(kind)) return true;
  const [id, ...path] = value.slice("@hQWi".includes(kind) ? 2 : 1).split(":");
  if (!/^0+$/.test(id)) return true;
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return true;
    node = (node as Record<string, unknown>)[key];
  }
  return false;
}

export async function actionRequestProblem(request: Request): Promise<ActionRequestProblem | null> {
  if (request.method !== "POST" || !request.headers.get("next-action")) return null;

  const origin = request.headers.get("origin");
  if (origin !== null) {
    const host = (requestHost(request.headers) ?? new URL(request.url).host).toLowerCase();
    if (!host || hostOfOrigin(origin) !== host) return { status: 403, reason: "the request does not come from this site" };
  }

  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > ACTION_BODY_LIMIT) return { status: 413, reason: "the request is too large" };
  const type = (request.headers.get("content-type") ?? "").toLowerCase();

  if (type.startsWith("multipart/form-data")) {
    const form = await request.clone().formData().catch(() => null);
    if (!form) return { status: 400, reason: "the form data cannot be read" };
    for (const [, value] of form) {
      if (typeof value === "string" && badShape(parseJson(value)) === "deep") return { status: 400, reason: "the request is nested too deeply" };
    }
    return null;
  }

  if (type.startsWith("text/plain")) {
    const text = await request.clone().text();
    if (Buffer.byteLength(text) > ACTION_BODY_LIMIT) return { status: 413, reason: "the request is too large" };
    const args = parseJson(text);
    if (!Array.isArray(args)) return { status: 400, reason: "the action's arguments are not a JSON array" };
    const bad = badShape(args, (s) => s.startsWith("$") && missingReference(args, s));
    if (bad === "deep") return { status: 400, reason: "the request is nested too deeply" };
    if (bad === "reference") return { status: 400, reason: "the request refers to data it does not carry" };
  }
  return null;
}

function hostOfOrigin(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase() || null;
  } catch {
    return null; // "null" (a sandboxed or file page), or not a URL
  }
}

const NOT_JSON = Symbol("not JSON");
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/**
 * The first thing wrong in a decoded body, walked without recursion (and without spreading a
 * large array into arguments): nesting deeper than MAX_DEPTH, or a string `refused` names.
 */
function badShape(value: unknown, refused: (s: string) => boolean = () => false): "deep" | "reference" | null {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === "string" && refused(v)) return "reference";
    if (v === null || typeof v !== "object") continue;
    if (depth >= MAX_DEPTH) return "deep";
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return null;
}
