/**
 * The host a request was made to: X-Forwarded-Host when there is one, else Host. Next renders
 * the page a server action redirects to by fetching it from its own origin (localhost), with the
 * action request's headers, X-Forwarded-Host among them (Next sets it from Host when the client
 * sent none): read first, that page is built for the site the action was posted to, not for the
 * default site. Both headers come from the client or its proxy; the site a request names is
 * never an access check on its own (every action checks the caller's role on that site).
 */
export function requestHost(headers: Pick<Headers, "get">): string | null {
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return forwarded || headers.get("host");
}
