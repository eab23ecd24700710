import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { outboundMessages, queue, type Site } from "@/db/schema";
import { requestPasswordReset } from "@/lib/auth/password-reset";

/** The token of the reset link queued for `address` (the first mail queued to it). */
export async function linkMailedTo(address: string): Promise<string> {
  const [mail] = await db
    .select({ text: outboundMessages.text })
    .from(queue)
    .innerJoin(outboundMessages, eq(outboundMessages.id, queue.messageId))
    .where(eq(queue.recipient, address));
  return /token=([A-Za-z0-9_-]+)/.exec(mail.text ?? "")![1];
}

/** Asks for a reset of `address` on `site`, as the forgot-password form does, and gives the link's token. */
export async function resetLinkFor(site: Site, address: string, ip = "198.51.100.40"): Promise<string> {
  await requestPasswordReset(site, address, ip);
  return linkMailedTo(address);
}
