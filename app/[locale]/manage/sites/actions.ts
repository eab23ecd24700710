"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { idSchema } from "@/lib/ids";
import { saveSite } from "@/lib/sites/manage";
import { siteSchema } from "@/lib/sites/schema";

const schema = siteSchema.extend({ id: idSchema.optional(), back: z.string().regex(/^\/(fr|en)\//) });

export const saveSiteAction = action({ schema, role: "superuser" }, async ({ id, back, ...input }) => {
  const site = await saveSite(id ?? null, input);
  if (!id) redirect(`${back}/${site.id}?created=1`);
});
