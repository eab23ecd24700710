import { z } from "zod";
import { locales } from "@/lib/i18n/config";
import { checkbox } from "@/lib/users/schemas";

export const siteSchema = z.object({
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .min(1)
    .max(253)
    .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/, "errors.domain"),
  name: z.string().trim().min(1).max(200),
  defaultLocale: z.enum(locales),
  senderName: z.string().trim().max(200).default(""),
  senderEmail: z.union([z.literal(""), z.email().trim().toLowerCase().max(320)]).default(""),
  registrationOpen: checkbox,
  isDefault: checkbox,
});
