// Times the newsletter functions the scale audit found slow, on the database bench/newsletter-scale-seed.ts
// fills (1,000,000 subscriptions on site 1, group 1: 900,000): see docs/newsletter-benchmarks.md, section 3.
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale npx tsx bench/newsletter-scale.ts [case filter]
// Adds, once, a 300,000-row group SMS send for sendSegments. Prints the median of BENCH_RUNS runs
// after one warm-up, and each function's result (the same before and after a change, or it is wrong).
import { performance } from "node:perf_hooks";

process.env.QUEUE_SCHEDULER = "off";
const { db, rows } = await import("@/db/client");
const { eq, sql } = await import("drizzle-orm");
const schema = await import("@/db/schema");
const G = await import("@/lib/newsletters/groups");
const { subscriptionsWhere } = await import("@/lib/newsletters/subscriptions/filters");
const { listSubscriptions } = await import("@/lib/newsletters/subscriptions/list");
const Send = await import("@/lib/newsletters/send");
const { sendSegments } = await import("@/lib/newsletters/send-segments");
const Audience = await import("@/lib/newsletters/audience");
const { segmentClass } = await import("@/lib/sms/segment-class");
const { smsSegments } = await import("@/lib/sms/segments");
const { fillPlaceholders } = await import("@/lib/mail/compose");

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const one = async <T>(q: ReturnType<typeof sql>) => rows<T>(await db.execute(q))[0];

// A group SMS to 300,000 numbers, each row as audienceRows queues it (name and phone in its variables).
if (!(await one(sql`select 1 from newsletter_sends where recipient_count = 300000`))) {
  const t = performance.now();
  await db.execute(sql`
    with m as (
      insert into outbound_messages (site_id, kind, subject, text, from_name, from_address, keeps_sms_hours)
      values (1, 'newsletter', '', 'Hello {{name|friend}}, the big SMS issue. Reply STOP to opt out.', '', 'News', true) returning id),
    s as (
      insert into newsletter_sends (site_id, template_id, message_id, status, subject, queued_at, recipient_count)
      select 1, (select id from message_templates where site_id = 1 and channel = 'sms' order by id limit 1), id, 'queued', '', now(), 300000 from m
      returning message_id)
    insert into queue (site_id, message_id, channel, recipient, recipient_name, variables, status, attempts, sent_at)
    select 1, (select message_id from s), 'sms', p, 'Person ' || k, jsonb_build_object('name', 'Person ' || k, 'phone', p), 'sent', 1, now()
      from generate_series(1, 300000) k, lateral (select '+336' || lpad(((k::bigint * 7919) % 100000000)::text, 8, '0') as p) x`);
  await db.execute(sql`vacuum analyze queue`);
  console.log(`added a 300,000-row SMS send in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

const [site] = await db.select().from(schema.sites).where(eq(schema.sites.id, 1));
const big = await one<{ send_id: number; template_id: number; message_id: number }>(sql`select id as send_id, template_id, message_id from newsletter_sends where recipient_count = 1000000`);
const bigSms = await one<{ message_id: number }>(sql`select message_id from newsletter_sends where recipient_count = 300000`);
const emailTemplate = (await Send.getTemplate(1, big.template_id))!;
const [smsTemplate] = await db.select().from(schema.messageTemplates).where(sql`site_id = 1 and channel = 'sms' and group_ids @> '[1]'`).limit(1);
const subMid = await one<{ id: number }>(sql`select id from subscriptions where site_id = 1 and group_id = 1 order by id offset 450000 limit 1`);
const page = (group: number, f: Parameters<typeof subscriptionsWhere>[2] = {}, after?: number) =>
  listSubscriptions(subscriptionsWhere(1, group, f, "FR", site.defaultLocale), { after }).then((p) => p.rows.length);

const cases: [string, () => Promise<unknown>][] = [
  ["A send dialog: email template, group 1", () => Send.sendPreviewCount(site, emailTemplate).then((p) => p.count)],
  ["B send dialog: SMS template, group 1", () => Send.sendPreviewCount(site, smsTemplate).then((p) => [p.count, p.segments])],
  ["B send report: sendSegments(1M email send)", () => sendSegments(big.message_id)],
  // The live counts the report polls: from message_status_counts (0040), and as they were counted before.
  ["B send report: sendReport counts (1M email send)", () => Send.sendReport(1, big.send_id).then((r) => r?.counts)],
  ["B send report: counting its rows (before 0040)", () => db.execute(sql`select status, retryable, count(*)::int as n, min(next_attempt_at) filter (where status = 'pending' and next_attempt_at > now()) as waits from queue where message_id = ${big.message_id} group by status, retryable`).then((r) => rows(r).length)],
  ["B send report: sendSegments(300k SMS send)", () => sendSegments(bigSms.message_id)],
  ["C overview: groupCounts(site)", () => G.groupCounts(1).then((m) => [m.size, m.get(1)])],
  ["C group page: groupStatusCounts(group 7)", () => G.groupStatusCounts(1, 7)],
  ["D group 1: first page", () => page(1)],
  ["D group 1: middle page", () => page(1, {}, subMid.id)],
  ["D group 7: first page", () => page(7)],
  ["D group 7: q 'person1'", () => page(7, { q: "person1" })],
  ["D group 1: q 'person12345'", () => page(1, { q: "person12345" })],
  ["D group 7: q 'nobody'", () => page(7, { q: "nobody" })],
  // The language filter walks the group's index and skips the other language's rows (the seed:
  // a third 'en'); the site's language also takes the rows without one.
  ["D group 1: lang en, first page", () => page(1, { lang: "en" })],
  ["D group 1: lang fr (site's), middle page", () => page(1, { lang: "fr" }, subMid.id)],
  ["D group 7: lang en + unsubscribed", () => page(7, { lang: "en", status: "unsubscribed" })],
  ["D group 7: lang en + q 'nobody'", () => page(7, { lang: "en", q: "nobody" })],
];
for (const [name, run] of cases) {
  if (process.argv[2] && !name.includes(process.argv[2])) continue;
  const result = await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(46)} ${times[Math.floor(times.length / 2)].toFixed(1).padStart(8)} ms  ${JSON.stringify(result)}`);
}

// E. The SMS send dialog's audience (countAudience, smsAudienceCost) against the same figures
// computed as before (the send's own rows, audienceRows, counted or grouped by segment class,
// which is what the dialog ran until then), runs alternated so both see the same load. Each
// pair's results must be equal, or the run fails.
const smsSpec = Send.audienceOf(smsTemplate, site);
const before = (spec: typeof smsSpec, classes: boolean) => async () => {
  const recipients = await Audience.audienceRows(spec, "");
  if (!classes) return Number(rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from (${recipients}) as r`))[0].n);
  const kinds = rows<{ phone: string; name: string; n: number }>(
    await db.execute(sql`select min(r.recipient) as phone, min(r.recipient_name) as name, count(*)::int as n from (${recipients}) as r
      group by ${segmentClass(sql`r.recipient_name`)}, ${segmentClass(sql`r.recipient`)}`),
  );
  return { count: kinds.reduce((n, k) => n + k.n, 0), segments: kinds.reduce((n, k) => n + k.n * smsSegments(fillPlaceholders(PRICED, { phone: k.phone, name: k.name })).segments, 0) };
};
const PRICED = "Hello {{name|friend}}, the big SMS issue. Reply STOP to opt out.";
const pairs: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
  ["E SMS dialog: count, group 1", before(smsSpec, false), () => Audience.countAudience(smsSpec)],
  ["E SMS dialog: count, group 1, English readers", before({ ...smsSpec, readers: "en" }, false), () => Audience.countAudience({ ...smsSpec, readers: "en" })],
  ["E SMS dialog: cost with {{name}}, group 1", before(smsSpec, true), () => Audience.smsAudienceCost(smsSpec, PRICED)],
];
let mismatch = false;
for (const [name, old, now] of pairs) {
  if (process.argv[2] && !name.includes(process.argv[2])) continue;
  const [a, b] = [await old(), await now()];
  if (JSON.stringify(a) !== JSON.stringify(b)) mismatch = true;
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < RUNS; i++) {
    for (const [k, run] of [old, now].entries()) {
      const t = performance.now();
      await run();
      times[k].push(performance.now() - t);
    }
  }
  const [m0, m1] = times.map((t) => t.sort((x, y) => x - y)[Math.floor(t.length / 2)]);
  console.log(`${name.padEnd(46)} before ${m0.toFixed(1).padStart(8)} ms  after ${m1.toFixed(1).padStart(8)} ms  ratio ${(m0 / m1).toFixed(1)}×  ${JSON.stringify(a)} ${a === b || JSON.stringify(a) === JSON.stringify(b) ? "=" : "≠"} ${JSON.stringify(b)}`);
}
if (mismatch) {
  console.log("FAILED: the dialog's figures differ from the send's rows");
  process.exit(1);
}
process.exit(0);
