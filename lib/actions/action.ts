import "server-only";
import { refresh } from "next/cache";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { currentActor } from "@/lib/auth/actor";
import { allowed, type Actor, type Requirement } from "@/lib/auth/roles";
import { currentSite } from "@/lib/sites/current";
import type { Locale } from "@/lib/i18n/config";
import { screenLocale, siteLocale } from "@/lib/i18n/reader-locale";
import type { Site } from "@/db/schema";
import { ActionError, fieldErrors, unstorableFields, type Msg } from "./errors";
import { echoValues, formDataToObject } from "./form-data";

export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: Msg }
  | { ok: false; error: Msg; fieldErrors?: Record<string, Msg>; values?: Record<string, string> };

/** `locale`: the language of the screen the action was sent from, for values its messages name (a country). */
export type Ctx<R extends Requirement> = { site: Site; actor: R extends "guest" ? Actor | null : Actor; locale: Locale };

/**
 * Builds every server action: parse the input (FormData or object) with zod, check the caller's
 * role on the current site, run the handler, and turn any failure into a small typed result.
 * Usable directly as a `useActionState` action: `(previousState, formData)`.
 *
 * `refresh: true` re-renders the current page after a success and sends it with the action's
 * answer (next/cache `refresh()`): lists, counts and badges change in the same round trip as the
 * "saved" message, instead of in a second request the browser would make afterwards.
 *
 * `schema` may depend on the site (a phone field read in the site's country): then every field,
 * that one included, is checked in the same pass and all their errors come in one answer, where a
 * check in the handler would only run once the others passed. It gets the screen's locale too,
 * for errors that name something in the reader's language (the site's country).
 */
export function action<S extends z.ZodType, R extends Requirement, T>(
  options: { schema: S | ((site: Site, locale: Locale) => S); role: R; refresh?: boolean },
  handler: (input: z.output<S>, ctx: Ctx<R>) => Promise<T>,
) {
  return async (_previous: unknown, raw?: unknown): Promise<ActionResult<T>> => {
    const input = formDataToObject(raw === undefined ? _previous : raw);
    try {
      const [site, actor, requestHeaders] = await Promise.all([currentSite(), currentActor(), headers()]);
      if (!allowed(actor, site.id, options.role)) {
        return { ok: false, error: { key: actor ? "errors.forbidden" : "errors.signInRequired" } };
      }
      const unstorable = unstorableFields(input);
      if (unstorable) return { ok: false, error: { key: "errors.checkFields" }, fieldErrors: unstorable, values: echoValues(input) };
      const locale = screenLocale(requestHeaders, siteLocale(site.defaultLocale));
      const schema = typeof options.schema === "function" ? options.schema(site, locale) : options.schema;
      const parsed = schema.safeParse(input);
      if (!parsed.success) {
        return { ok: false, error: { key: "errors.checkFields" }, fieldErrors: fieldErrors(parsed.error), values: echoValues(input) };
      }
      const data = await handler(parsed.data, { site, actor, locale } as Ctx<R>);
      if (options.refresh) refresh();
      return { ok: true, data };
    } catch (error) {
      unstable_rethrow(error); // redirect() and notFound() are control flow, not failures
      if (error instanceof ActionError) {
        return {
          ok: false,
          error: error.msg,
          fieldErrors: error.field ? { ...error.alsoFields, [error.field]: error.msg } : undefined,
          values: echoValues(input),
        };
      }
      console.error("[action] unexpected error", error);
      return { ok: false, error: { key: "errors.unexpected" }, values: echoValues(input) };
    }
  };
}
