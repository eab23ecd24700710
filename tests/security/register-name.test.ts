import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { outboundMessages, queue } from "@/db/schema";
import { registerAction } from "@/app/[locale]/(public)/register/actions";
import { actAs } from "../helpers/request";
import { makeSite } from "../helpers/factories";
import { run } from "../helpers/actions";

/**
 * Self-registration takes a `name` (anyone, no account) and greets the address with it in the
 * confirmation email ("Hello {name},"), from the site's own sender. The name may hold line
 * breaks, so whoever types someone else's address writes whole paragraphs, links included
 * (plainTextToHtml makes them clickable), into a mail the site sends that person. Every other
 * name field that reaches mail is one line (subscriptions' `name`, template names and subjects:
 * "errors.singleLine"); this one must be too, refused with a field error before anything is sent.
 */
describe("registerAction with a name of several lines", () => {
  it("is refused on its field, and no email goes to the address", async () => {
    const site = await makeSite({ domain: "register-name-review.example.org", registrationOpen: true, name: "Maison" });
    actAs(null, site.domain);
    const email = "victim@example.net";
    const name = "Camille,\r\n\r\nYour Maison account will be closed today. Keep it here: https://keep-account.evil.example/login\r\n\r\nRegards";
    const outcome = await run(registerAction, { name, email, locale: "en", password: "long enough secret", confirmPassword: "long enough secret" });
    const mails = await db
      .select({ text: outboundMessages.text, html: outboundMessages.html })
      .from(queue)
      .innerJoin(outboundMessages, eq(outboundMessages.id, queue.messageId))
      .where(eq(queue.recipient, email));
    // Today: accepted, and the mail carries the visitor's paragraph and a clickable link to their site.
    expect(mails.map((m) => m.html ?? "").join("")).not.toContain('href="https://keep-account.evil.example/login"');
    expect(outcome).toMatchObject({ ok: false, fieldErrors: { name: { key: "errors.singleLine" } } });
  });
});
