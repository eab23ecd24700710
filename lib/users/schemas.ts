import { z } from "zod";
import { roles } from "@/db/schema";
import { locales } from "@/lib/i18n/config";
import { emailField } from "@/lib/email-field";

export const PASSWORD_MIN = 10;

/** New password + confirmation, shared by registration, profile and user management. */
export const newPasswordFields = {
  password: z.string().min(PASSWORD_MIN).max(1024),
  confirmPassword: z.string().max(1024),
};
export const passwordsMatch = (v: { password?: string; confirmPassword?: string }) => v.password === v.confirmPassword;

/**
 * Checkbox: CheckboxField sends a hidden "off" and, when ticked, "on" under the same name, so
 * the form data holds "off" or ["off", "on"]; a direct call may pass a boolean.
 */
export const checkbox = z
  .union([z.boolean(), z.enum(["on", "off", ""]), z.array(z.enum(["on", "off", ""])).max(2)])
  .optional()
  .transform((v) => v === true || v === "on" || (Array.isArray(v) && v.includes("on")));

export const userFields = {
  name: z.string().trim().min(1).max(200),
  email: emailField,
  locale: z.enum(locales),
  role: z.enum(roles),
};
