"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { idSchema } from "@/lib/ids";
import { saveSite } from "@/lib/sites/manage";
import { listenForSmsReplies } from "@/lib/sms/resolve";
import { siteColumns, siteFields, withSiteChecks } from "@/lib/sites/schema";
import { retimeWaitingSms } from "@/lib/sms/site-hours";

const schema = withSiteChecks(siteFields.extend({
  id: idSchema.optional(),
  // The sites list the form came from, exactly: it goes into the redirect's response header (see users/actions.ts).
  back: z.string().regex(/^\/(fr|en)\/manage\/sites$/),
}));

export const saveSiteAction = action({ schema, role: "superuser", refresh: true }, async ({ id, back, ...input }) => {
  const site = await saveSite(id ?? null, siteColumns(input));
  // Group SMS waiting for the site's former hours follow the ones just saved. The site is saved
  // either way: a failure here leaves them on the old times until a runner next finds them closed.
  if (id) await retimeWaitingSms(site.id).catch((error) => console.error(`[sms] site ${site.id}: could not retime waiting SMS`, error));
  // Its SMS account may have changed: bind the new one to hear receipts and replies, drop the old.
  void listenForSmsReplies([site.id]).catch((error) => console.warn(`[sms] site ${site.id}: could not listen for receipts`, error));
  if (!id) redirect(`${back}/${site.id}?created=1`);
});
