import { createTranslator } from "next-intl";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";

/** What the pages get from getTranslations("queue.failure") (errorText's translator), from the message files alone. */
export function failureTranslator(locale: "fr" | "en") {
  const t = createTranslator({ locale, messages: locale === "fr" ? fr : en });
  return (key: string, values?: Record<string, string | number>) => t(`queue.failure.${key}` as never, values as never);
}
