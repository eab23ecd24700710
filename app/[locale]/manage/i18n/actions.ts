"use server";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { usableKey } from "@/lib/i18n/config";
import { addTranslationKey, saveTranslation } from "@/lib/i18n/edit";

const value = z.string().max(10_000).optional();
const key = z.string().trim().min(1).max(200).refine(usableKey, "errors.keyFormat");

export const saveTranslationAction = action(
  { schema: z.object({ key, fr: value, en: value }), role: "admin", refresh: true },
  async (input, { site }) => saveTranslation(site.id, input.key, { fr: input.fr, en: input.en }),
);

export const addTranslationKeyAction = action(
  { schema: z.object({ key, fr: value, en: value }), role: "admin", refresh: true },
  async (input, { site }) => addTranslationKey(site.id, input.key, { fr: input.fr, en: input.en }),
);
