import { z } from "zod";
import { normalizeEmail } from "@/lib/newsletters/addresses";

/**
 * An email address typed into a form, as stored and compared: trimmed, lower-cased, an accented
 * domain (ann@crème.fr) in the ASCII form mail travels in (normalizeEmail). The format is checked
 * on that form: z.email() alone refuses every internationalised domain, so an account, a sign-in
 * or a site's sender on one could not be typed as people write it.
 */
export const emailField = z.string().trim().max(320).transform(normalizeEmail).pipe(z.email());

/** emailField, or "" for a field that may stay empty. */
export const optionalEmailField = z.union([z.literal(""), emailField]);
