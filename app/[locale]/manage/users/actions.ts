"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { burnResetLinks } from "@/lib/auth/password-reset";
import { openSession } from "@/lib/auth/session";
import { sendPasswordChangedNotice } from "@/lib/auth/notices";
import { idSchema } from "@/lib/ids";
import { getSite } from "@/lib/sites/manage";
import { ActionError } from "@/lib/actions/errors";
import { createUser, findManagedUser, setPassword, updateUser } from "@/lib/users/manage";
import { canOpenUser } from "@/lib/users/list";
import { checkbox, newPasswordFields, passwordsMatch, PASSWORD_MIN, userFields } from "@/lib/users/schemas";

const scopeOf = (actor: { role: string }, siteId: number) => (actor.role === "superuser" ? null : siteId);

const createSchema = z
  .object({ ...userFields, ...newPasswordFields, siteId: idSchema.optional(), back: z.string().regex(/^\/(fr|en)\/manage\/users$/) })
  .refine(passwordsMatch, { path: ["confirmPassword"], message: "errors.passwordsDiffer" });

// `back` is the users list the form came from: exactly that, since it goes into the redirect's
// response header, where a line break or a non-Latin-1 character made Next answer 500.
export const createUserAction = action({ schema: createSchema, role: "admin" }, async (input, { site, actor }) => {
  // Only a superuser hands out roles or places users on another site.
  if (actor.role !== "superuser" && input.role !== "member") throw new ActionError({ key: "errors.roleSuperuserOnly" }, "role");
  const siteId = actor.role === "superuser" && input.siteId ? input.siteId : site.id;
  if (siteId !== site.id && !(await getSite(siteId))) throw new ActionError({ key: "errors.notFound" }, "siteId");
  const user = await createUser({ siteId, email: input.email, name: input.name, password: input.password, role: input.role, locale: input.locale });
  redirect(`${input.back}/${user.id}?created=1`);
});

const updateSchema = z
  .object({
    id: idSchema,
    ...userFields,
    disabled: checkbox,
    password: z.union([z.literal(""), z.string().min(PASSWORD_MIN).max(1024)]).optional(),
    confirmPassword: z.string().max(1024).optional(),
  })
  .refine((v) => !v.password || passwordsMatch(v), { path: ["confirmPassword"], message: "errors.passwordsDiffer" });

export const updateUserAction = action({ schema: updateSchema, role: "admin", refresh: true }, async (input, { site, actor }) => {
  const target = await findManagedUser(input.id, scopeOf(actor, site.id));
  if (!target) throw new ActionError({ key: "errors.notFound" });
  if (!canOpenUser(actor, target)) throw new ActionError({ key: "errors.forbidden" });
  if (actor.role !== "superuser") {
    if (input.role !== target.role) throw new ActionError({ key: "errors.roleSuperuserOnly" }, "role");
  }
  if (target.id === actor.id && (input.disabled || input.role !== target.role)) {
    throw new ActionError({ key: "errors.cannotDemoteSelf" });
  }
  await updateUser(target.id, target.siteId, { name: input.name, email: input.email, locale: input.locale, role: input.role, disabled: input.disabled });
  // Links mailed to the former address no longer open the account.
  if (input.email !== target.email) await burnResetLinks(target.id);
  if (input.password) {
    // The new hash ends the person's open sessions; administrators setting their own keep this one.
    await setPassword(target.id, input.password);
    if (target.id === actor.id) await openSession(input.email, input.password);
    // From the person's own site: a superuser may be working on another site's domain, whose
    // "forgot password" page serves that site's accounts only.
    const home = target.siteId === site.id ? site : ((await getSite(target.siteId)) ?? site);
    await sendPasswordChangedNotice(home, { ...target, email: input.email, name: input.name, locale: input.locale });
  }
});
