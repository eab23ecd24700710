import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db, rows } from "@/db/client";
import { likeEscape } from "@/lib/db-utils";
import { templateChannels, type MessageTemplate, type NewsletterSend } from "@/db/schema";
import { keysetPage, keysetSql, type KeysetPage } from "@/lib/paging";
import { keysetFields, noControl, parseUrlFilters, urlFilterQuery, urlId, type UrlInput } from "@/lib/url-filters";
import { completedSends } from "./send-status";

/* ---------- The templates screen's filters, as they travel in the URL. ---------- */

/** `q`: words of the name or subject; `channel`: email or SMS templates only. */
export type TemplateFilters = { q?: string; channel?: MessageTemplate["channel"]; after?: number; before?: number };
type FilterName = keyof TemplateFilters;

/** Valid filters, plus the names of those given but not understood (and dropped). */
export function parseTemplateFilters(input: UrlInput): { filters: TemplateFilters; invalid: FilterName[] } {
  return parseUrlFilters<TemplateFilters>(
    {
      q: z.string().trim().min(1).max(200).regex(noControl),
      channel: z.enum(templateChannels),
      ...keysetFields(urlId),
    },
    input,
  );
}

/** Filters → query string, without the cursor unless `extra` gives one. */
export const templateQuery = (filters: TemplateFilters, extra: Record<string, string | number | undefined> = {}) => urlFilterQuery(filters, extra);


/** One site's templates, filtered. A site has hundreds at most: the name search scans them. */
// Written on the list query's alias `t` (a drizzle column would name the table instead).
function templatesWhere(siteId: number, f: TemplateFilters): SQL {
  const parts: SQL[] = [sql`t.site_id = ${siteId}`];
  if (f.channel) parts.push(sql`t.channel = ${f.channel}`);
  // Every word typed, in any order, in the name or the subject.
  for (const word of f.q?.split(/\s+/).filter(Boolean) ?? []) {
    const like = `%${likeEscape(word)}%`;
    parts.push(sql`(t.name ilike ${like} or t.subject ilike ${like})`);
  }
  return sql.join(parts, sql` and `);
}

export type TemplateListRow = Pick<MessageTemplate, "id" | "name" | "channel" | "subject" | "groupIds" | "audienceLocale" | "pastedRecipients" | "updatedAt"> & {
  /** The start of an SMS template's text (it has no subject to show). */
  excerpt: string;
  /** `completed`: queued, and every row has its outcome (see completedSends). */
  lastSend: { id: number; status: string; completed: boolean; createdAt: Date; scheduledAt: Date | null; recipientCount: number } | null;
};

type Raw = {
  id: number; name: string; channel: MessageTemplate["channel"]; subject: string; excerpt: string; group_ids: number[] | string; audience_locale: string | null; pasted_recipients: string; updated_at: Date | string;
  send_id: number | null; send_status: string | null; send_message_id: number | string | null; send_created_at: Date | string | null; send_scheduled_at: Date | string | null; send_recipient_count: number | null;
};

/** The list: newest first, each with its last send, keyset-paginated both ways on id (lib/paging.ts). */
export async function listTemplates(siteId: number, filters: TemplateFilters = {}, limit?: number): Promise<KeysetPage<TemplateListRow, number>> {
  const where = templatesWhere(siteId, filters);
  const page = await keysetPage(
    { after: filters.after, before: filters.before, limit },
    async ({ cursor, back, take }) => {
      const k = keysetSql("desc", back);
      const result = await db.execute(sql`
        select t.id, t.name, t.channel, t.subject, case when t.channel = 'sms' then left(t.text, 120) else '' end as excerpt, t.group_ids, t.audience_locale, t.pasted_recipients, t.updated_at,
               s.id as send_id, s.status as send_status, s.message_id as send_message_id, s.created_at as send_created_at,
               s.scheduled_at as send_scheduled_at, s.recipient_count as send_recipient_count
          from message_templates t
          left join lateral (
            select id, status, message_id, created_at, scheduled_at, recipient_count from newsletter_sends
             where template_id = t.id order by id desc limit 1
          ) s on true
         where ${where} ${cursor === undefined ? sql`` : sql`and t.id ${k.beyond} ${cursor}`}
         order by t.id ${k.nearest}
         limit ${take}`);
      return rows<Raw>(result);
    },
    (r) => Number(r.id),
  );
  const completed = await completedSends(
    page.rows.flatMap((r) => (r.send_id === null ? [] : [{ id: Number(r.send_id), siteId, messageId: r.send_message_id === null ? null : Number(r.send_message_id), status: r.send_status as NewsletterSend["status"] }])),
  );
  const date = (v: Date | string) => (v instanceof Date ? v : new Date(v));
  return {
    ...page,
    rows: page.rows.map((r) => ({
      id: Number(r.id),
      name: r.name,
      channel: r.channel,
      subject: r.subject,
      excerpt: r.excerpt,
      groupIds: typeof r.group_ids === "string" ? (JSON.parse(r.group_ids) as number[]) : r.group_ids,
      audienceLocale: r.audience_locale,
      pastedRecipients: r.pasted_recipients,
      updatedAt: date(r.updated_at),
      lastSend:
        r.send_id === null
          ? null
          : {
              id: Number(r.send_id),
              status: r.send_status!,
              completed: completed.has(Number(r.send_id)),
              createdAt: date(r.send_created_at!),
              scheduledAt: r.send_scheduled_at ? date(r.send_scheduled_at) : null,
              recipientCount: Number(r.send_recipient_count ?? 0),
            },
    })),
  };
}
