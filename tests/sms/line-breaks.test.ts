import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { outboundMessages, queue, type Site, type User } from "@/db/schema";
import { sendTestSmsAction } from "@/app/[locale]/manage/queue/actions";
import { saveTemplateAction, testSmsAction } from "@/app/[locale]/manage/templates/actions";
import { listQueue } from "@/lib/queue/list";
import { smsSegments } from "@/lib/sms/segments";
import { composeSms } from "@/lib/mail/compose";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { run, type AnyAction } from "../helpers/actions";

/**
 * Review finding: the SMS text box (components/sms/sms-text-field.tsx) counts the segments of
 * its value, where a line break is "\n" (one septet). The form reaches the server action as
 * multipart/form-data, whose encoding turns every line break into CRLF (HTML's multipart
 * encoding; Chromium and Node's undici both do it, and Next parses that body back). Nothing on
 * the server turns it back, so what is queued, listed and sent has one more septet per line
 * break than the count the person was shown while composing: a text shown as 1 segment is
 * billed as 2.
 */

/** The fields as the server action receives them from a browser's form: through a multipart body. */
async function posted(fields: Record<string, string>): Promise<FormData> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return new Request("http://localhost/", { method: "POST", body: form }).formData();
}

// 52 + 1 + 52 + 1 + 54 = 160 septets as typed: exactly one GSM-7 segment on the compose screen.
const typed = `${"a".repeat(52)}\n${"b".repeat(52)}\n${"c".repeat(54)}`;

let site: Site;
let admin: User;
beforeAll(async () => {
  site = await makeSite({ domain: "crlf.example.org" });
  admin = await makeUser(site.id, "admin");
});

async function listed(messageId: number) {
  const [row] = (await listQueue(eq(queue.messageId, messageId))).rows;
  const [q] = await db.select().from(queue).where(eq(queue.messageId, messageId));
  const [message] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, messageId));
  return { row, sentText: composeSms(message, q).text };
}

describe("an SMS typed with line breaks is queued as it was counted", () => {
  it("the compose field counts it as one segment", () => {
    expect(smsSegments(typed)).toMatchObject({ encoding: "GSM-7", units: 160, segments: 1 });
  });

  it("queue screen's test SMS: the row lists, and sends, the segments the field showed", async () => {
    actAs(admin.id, site.domain);
    const result = await run(sendTestSmsAction as AnyAction, await posted({ to: "+33612345678", text: typed }));
    expect(result).toMatchObject({ ok: true });
    const { messageId } = (result as { data: { messageId: number } }).data;
    const { row, sentText } = await listed(messageId);
    expect(row.segments).toBe(smsSegments(typed).segments);
    expect(sentText).toBe(typed);
  });

  it("an SMS template saved from its editor: its test SMS lists the segments the editor showed", async () => {
    actAs(admin.id, site.domain);
    const created = await run(saveTemplateAction as AnyAction, await posted({ locale: "en", name: "crlf", channel: "sms", text: typed }));
    const id = Number(/templates\/(\d+)\?created=1$/.exec((created as { redirect: string }).redirect)?.[1]);
    expect(id).toBeGreaterThan(0);
    const sent = await run(testSmsAction as AnyAction, await posted({ id: String(id), to: "+33612345679" }));
    expect(sent).toMatchObject({ ok: true });
    const [q] = await db.select().from(queue).where(eq(queue.recipient, "+33612345679"));
    const { row, sentText } = await listed(q.messageId);
    expect(row.segments).toBe(1);
    expect(sentText).toBe(typed);
  });
});
