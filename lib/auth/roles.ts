import type { Role } from "@/db/schema";

export type Actor = { id: number; email: string; name: string; role: Role; siteId: number; locale: string };
export type Requirement = "guest" | "member" | "admin" | "superuser";

/**
 * Whether an actor may act at a level on a site. Admins and members act on their own site
 * only; a superuser acts everywhere. `guest` is anyone, signed in or not.
 */
export function allowed(actor: Actor | null, siteId: number, need: Requirement): boolean {
  if (need === "guest") return true;
  if (!actor) return false;
  if (actor.role === "superuser") return true;
  if (need === "superuser") return false;
  if (actor.siteId !== siteId) return false;
  return need === "member" || actor.role === "admin";
}
