import { z } from "zod";
import { roles } from "@/db/schema";
import { locales } from "@/lib/i18n/config";

export const PASSWORD_MIN = 10;

/** New password + confirmation, shared by registration, profile and user management. */
export const newPasswordFields = {
  password: z.string().min(PASSWORD_MIN).max(1024),
  confirmPassword: z.string().max(1024),
};
export const passwordsMatch = (v: { password?: string; confirmPassword?: string }) => v.password === v.confirmPassword;

/** Checkbox sent as "on"/"off" (see CheckboxField), or a real boolean when called directly. */
export const checkbox = z
  .union([z.boolean(), z.enum(["on", "off", ""])])
  .optional()
  .transform((v) => v === true || v === "on");

export const userFields = {
  name: z.string().trim().min(1).max(200),
  email: z.email().trim().toLowerCase().max(320),
  locale: z.enum(locales),
  role: z.enum(roles),
};
