import { errorReason, reasonMayPass, reasonValues } from "@/lib/queue/error-reason";

/** A translator for `queue.failure` (getTranslations / useTranslations / createTranslator). */
type Translate = (key: string, values?: Record<string, string | number>) => string;

/**
 * A row's error as a person reads it. `reason`: what happened and what to do, in the interface
 * language, or null for a text no transport of chora's writes. `detail`: the stored text as the
 * provider wrote it (support needs its exact words and codes), left out when the queue wrote it
 * itself. `retry`: whether the queue tries again by itself, when the row's state is known.
 */
export type ShownError = { reason: string | null; detail: string | null; retry: string | null; detailLabel: string };

/**
 * `retryable`: the row's flag, for a row in error now; omitted for a past event (its history),
 * where what happened next is in the following events.
 */
export function errorText(t: Translate, error: string, retryable?: boolean): ShownError {
  const found = errorReason(error);
  const retry = retryable === undefined ? null : retryable ? t("retryAuto") : !found || reasonMayPass(found.key) ? t("retryManual") : null;
  return {
    reason: found ? t(`reasons.${found.key}`, reasonValues(found)) : null,
    detail: found?.own ? null : error,
    retry,
    detailLabel: t("detail"),
  };
}
