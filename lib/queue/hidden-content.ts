/**
 * Kinds of message whose content carries a secret link: a password reset signs its holder in,
 * a subscription confirmation subscribes an address, a registration link creates an account (and
 * its twin, the notice to an address that already has one, must look the same). Whoever reads the body could use it, and
 * an admin could take over a superuser's account through a reset link, so nobody reads these
 * bodies in the queue screen or its .eml, whatever their role: the recipient alone needs them.
 */
export const HIDDEN_CONTENT_KINDS = ["password_reset", "subscription_confirm", "registration"] as const;

export function hiddenContent(kind: string): boolean {
  return (HIDDEN_CONTENT_KINDS as readonly string[]).includes(kind);
}
