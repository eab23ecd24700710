// Any origin will do: a path resolved against it either stays on it or names another site.
const BASE = "http://chora.invalid";

/**
 * A same-site path to go back to after sign-in, or null for anything that would leave the site
 * (absolute URLs, `//host`, `/\host`, `/\t/host` once a browser drops the tab…).
 *
 * The path is returned as the WHATWG URL parser writes it, which is what a browser would request
 * anyway: non-ASCII and control characters percent-encoded, so it can go in a response header
 * (Location, x-action-redirect) where a raw "/。evil" made Next answer 500.
 */
export function safePath(value: string | undefined | null): string | null {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return null;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can still leave an empty first segment ("/.//evil" → "//evil"): a host again.
  if (path.startsWith("//") || !/^\/[\x21-\x7e]*$/.test(path)) return null;
  return path;
}
