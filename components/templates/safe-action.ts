import type { ActionResult } from "@/lib/actions/action";

/**
 * Calls a server action and turns a thrown error (network, body too large, server restart)
 * into the same failed result a validation error gives, so a form never loses its page.
 */
export async function safeAction<T, I>(act: (previous: unknown, input: I) => Promise<ActionResult<T>>, input: I): Promise<ActionResult<T>> {
  try {
    return await act(null, input);
  } catch (error) {
    // redirect() from a server action arrives here as a thrown digest: let Next handle it.
    if (error && typeof error === "object" && "digest" in error && String((error as { digest: unknown }).digest).startsWith("NEXT_REDIRECT")) throw error;
    return { ok: false, error: { key: "errors.unreachable" } };
  }
}
