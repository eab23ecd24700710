/** A same-site path to go back to after sign-in; anything else (absolute URLs, `//host`) is dropped. */
export function safePath(value: string | undefined | null): string | null {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return null;
  return value;
}
