import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users, type Role, type User } from "@/db/schema";
import { limitedPasswordCheck } from "@/lib/auth/credentials";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { burnResetLinks } from "@/lib/auth/password-reset";
import { ActionError } from "@/lib/actions/errors";
import { isUniqueViolation } from "@/lib/db-utils";
import { normalizeEmail } from "@/lib/newsletters/addresses";

export async function createUser(input: {
  siteId: number;
  email: string;
  name: string;
  password: string;
  role: Role;
  locale: string;
}): Promise<User> {
  try {
    const [user] = await db
      .insert(users)
      .values({ ...input, email: normalizeEmail(input.email), passwordHash: await hashPassword(input.password) })
      .returning();
    return user;
  } catch (error) {
    if (isUniqueViolation(error)) throw new ActionError({ key: "errors.emailTaken" }, "email");
    throw error;
  }
}

/** A user as a manager may see them: on their site, or anywhere for a superuser (siteId null). */
export async function findManagedUser(id: number, siteId: number | null) {
  const [user] = await db
    .select()
    .from(users)
    .where(siteId === null ? eq(users.id, id) : and(eq(users.id, id), eq(users.siteId, siteId)))
    .limit(1);
  return user ?? null;
}

export async function updateUser(
  id: number,
  siteId: number | null,
  changes: Partial<Pick<User, "email" | "name" | "locale" | "role">> & { disabled?: boolean },
) {
  const { disabled, ...rest } = changes;
  const set: Partial<User> = { ...rest, updatedAt: new Date() };
  if (rest.email) set.email = normalizeEmail(rest.email);
  if (disabled !== undefined) set.disabledAt = disabled ? new Date() : null;
  if (disabled) set.sessionsEndedAt = new Date();
  try {
    const updated = await db
      .update(users)
      .set(set)
      .where(siteId === null ? eq(users.id, id) : and(eq(users.id, id), eq(users.siteId, siteId)))
      .returning({ id: users.id });
    if (updated.length === 0) throw new ActionError({ key: "errors.notFound" });
    // Disabled (perhaps because it was taken over), the account's open reset links are burnt:
    // enabled again, none sent before comes back (lib/auth/password-reset.ts).
    if (disabled) await burnResetLinks(id);
  } catch (error) {
    if (isUniqueViolation(error)) throw new ActionError({ key: "errors.emailTaken" }, "email");
    throw error;
  }
}

/**
 * A wrong current password counts as a failed sign-in of the account, and past the sign-in
 * limit the check is refused: otherwise a stolen session could guess the password without
 * limit, then change it and lock its owner out.
 */
export async function changePassword(userId: number, current: string, next: string) {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new ActionError({ key: "errors.currentPasswordWrong" }, "currentPassword");
  const checked = await limitedPasswordCheck(user.email, null, async () => ((await verifyPassword(current, user.passwordHash)) ? user : null));
  if (!checked.ok) {
    throw checked.reason === "rate_limited" ? new ActionError({ key: "errors.rateLimited" }) : new ActionError({ key: "errors.currentPasswordWrong" }, "currentPassword");
  }
  await db.update(users).set({ passwordHash: await hashPassword(next), updatedAt: new Date() }).where(eq(users.id, userId));
  await burnResetLinks(userId);
}

/** A password set by an administrator: the account's reset links mailed before stop working too. */
export async function setPassword(userId: number, password: string) {
  await db.update(users).set({ passwordHash: await hashPassword(password), updatedAt: new Date() }).where(eq(users.id, userId));
  await burnResetLinks(userId);
}
