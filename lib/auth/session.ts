import "server-only";
import { auth } from "./next-auth";

/** The signed-in user's id from the session cookie, or null. The seam tests replace. */
export async function sessionUserId(): Promise<number | null> {
  const session = await auth();
  const id = Number(session?.user?.id);
  return Number.isInteger(id) && id > 0 ? id : null;
}
