import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simpleParser } from "mailparser";
import libmime from "libmime";
import { db } from "@/db/client";
import { messageTemplates, subscriptions } from "@/db/schema";
import { sendTemplate } from "@/lib/newsletters/send";
import { runQueue } from "@/lib/queue/run";
import { smtpTransport } from "@/lib/mail/transport";
import { makeSite, makeUser } from "../helpers/factories";
import { startSmtpServer, type SmtpHarness } from "../helpers/smtp";

/**
 * RFC 2919: `List-Id: [phrase] <list-label>`. The list-label is what filters and mailbox
 * providers match on; RFC 2047 encoded-words may stand for the phrase, never for the
 * angle-bracketed identifier. chora builds `"<site name>" <news.domain>` and lets nodemailer
 * encode the whole value as soon as the site's name has a non-ASCII letter (most French
 * names: "Les Amis de l'Été"), so the identifier itself ends up inside `=?UTF-8?Q?…=3Cnews…=3E?=`.
 */
let smtp: SmtpHarness;
let transport: ReturnType<typeof smtpTransport>;
beforeAll(async () => {
  smtp = await startSmtpServer();
  transport = smtpTransport(smtp.url, 1);
});
afterAll(async () => {
  transport.close();
  await smtp.close();
});

describe("List-Id of a newsletter from a site whose name has accents", () => {
  it("keeps the list identifier <news.domain> readable in the raw header", async () => {
    const site = await makeSite({ domain: "ete.example.org", name: "Les Amis de l'Été" });
    const admin = await makeUser(site.id, "admin");
    await db.insert(subscriptions).values({ siteId: site.id, groupId: 1, email: "ann@example.org", name: "Ann", status: "confirmed", source: "screen" });
    const [template] = await db
      .insert(messageTemplates)
      .values({ siteId: site.id, name: "Monthly", subject: "News", html: "<p>Hello {{name|friend}}</p>", groupIds: [1] })
      .returning();
    await sendTemplate(site, template, { actorId: admin.id });
    const summary = await runQueue({ kind: "send", siteId: site.id, runner: "test", transport });
    expect(summary.sent).toBe(1);
    expect(smtp.received).toHaveLength(1);

    const raw = smtp.received[0].raw;
    const line = /^List-ID:.*(?:\r?\n[ \t].*)*/im.exec(raw)![0].replace(/\r?\n[ \t]+/g, " ");
    // The identifier must appear as is, in angle brackets, outside any encoded-word.
    expect(line).toMatch(/<news\.ete\.example\.org>\s*$/);
    // And the phrase before it still reads as the site's name once decoded.
    const parsed = await simpleParser(raw);
    const decoded = parsed.headerLines.find((h) => h.key === "list-id")!.line;
    expect(libmime.decodeWords(decoded.replace(/^List-ID:\s*/i, "").replace(/\r?\n[ \t]+/g, " "))).toMatch(/^"?Les Amis de l'Été"? <news\.ete\.example\.org>$/);
  });
});
