// Scale audit seed (from the scale audit that measured the newsletter screens at a million rows):
//   createdb -h 127.0.0.1 -U postgres scale && export DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale
//   npx tsx scripts/migrate.ts && npx tsx bench/newsletter-scale-seed.ts && npx tsx bench/newsletter-scale.ts
// See docs/newsletter-benchmarks.md, section 3.
// Run after scripts/migrate.ts (which creates site 1 = the default site "localhost" and the
// superuser). Seeds ONE big site (id 1) and a small second site, all with generate_series SQL.
//   queue: ~1.22M rows on site 1: one newsletter send of 1,000,000 recipients (the latest),
//          one of 100,000 with 4,900 errors, 498 small sends (email and SMS), password resets;
//   subscriptions: 1,000,000 on site 1 over 20 groups (group 1: 900,000), statuses mixed, 40 % with phone;
//   subscriber_keys for every distinct address; users 300,000; sms_replies 200,000;
//   sms_opt_outs 100,000; message_templates 200; newsletter_sends 500.
import postgres from "postgres";
import { performance } from "node:perf_hooks";

const url = process.env.DATABASE_URL!;
const db = postgres(url, { max: 1, onnotice: () => {} });
const step = async (label: string, q: string) => {
  const t = performance.now();
  const r = await db.unsafe(q);
  console.log(`${label.padEnd(40)} ${((performance.now() - t) / 1000).toFixed(1)} s ${r.count ?? ""}`);
};

const S1 = 1;
await step("site 2", `insert into sites (domain, name) values ('small.example.org', 'Small') on conflict do nothing`);
const [{ id: S2 }] = await db`select id from sites where domain = 'small.example.org'`;

// Groups 1..20 on site 1, 1..2 on site 2: labels are translation keys signup_opt<N>.
await step(
  "group labels",
  `insert into translation_overrides (site_id, locale, key, value)
   select s, l, 'signup_opt' || g, case l when 'fr' then 'Groupe ' else 'Group ' end || g
     from (values (${S1}, 20), (${S2}, 2)) v(s, n), generate_series(1, 20) g, unnest(array['fr','en']) l
    where g <= n on conflict do nothing`,
);

// Users: 300,000 on site 1, 3,000 on site 2, one shared password hash (the superuser's).
await step(
  "users",
  `insert into users (site_id, email, name, password_hash, role, locale, disabled_at, created_at, updated_at)
   select case when g % 100 = 0 then ${S2} else ${S1} end,
          lower(f) || '.' || lower(l) || '.' || g || '@' || (array['example.org','mail.example.net','assoc.example.fr','example.com'])[1 + g % 4],
          f || ' ' || l, (select password_hash from users order by id limit 1),
          case when g % 997 = 0 then 'admin' else 'member' end, case when g % 3 = 0 then 'en' else 'fr' end,
          case when g % 50 = 0 then at end, at, at
     from generate_series(1, 303000) g,
          lateral (select (array['Marie','Jean','Pierre','Michel','Jeanne','Philippe','Nathalie','Isabelle','Alain','Catherine','Sophie','Julien','Camille','Léa','Hugo','Chloé','Lucas','Manon','Thomas','Émilie'])[1 + (g * 7) % 20] as f,
                          (array['Martin','Bernard','Dubois','Thomas','Robert','Richard','Petit','Durand','Leroy','Moreau','Simon','Laurent','Lefebvre','Michel','Garcia','David','Bertrand','Roux','Vincent','Fournier'])[1 + (g * 13) % 20] as l,
                          now() - interval '3 years' + g * (interval '3 years' / 303000) as at) x`,
);

// Subscriptions. Person k (k = 1..1,000,000) is person<k>@…; group 1 holds persons 1..900,000;
// groups 2..20 hold 100,000 more rows over persons spread across the range (overlapping group 1).
const phone = (k: string) => `'+336' || lpad(((${k}::bigint * 7919) % 100000000)::text, 8, '0')`;
await step(
  "subscriptions site 1",
  `insert into subscriptions (site_id, group_id, email, phone, name, locale, status, source, consent_at, consent_ip, consent_text, confirmed_at, unsubscribed_at, created_at, updated_at, locale_set_at)
   select ${S1}, grp, 'person' || k || '@' || (array['example.org','mail.example.net','assoc.example.fr','example.com'])[1 + k % 4],
          case when k % 5 < 2 then ${phone("k")} end, 'Person ' || k, case when k % 3 = 0 then 'en' else 'fr' end,
          st, (array['screen','signup','import'])[1 + k % 3], at, '192.0.2.' || (k % 250), 'I agree to receive the newsletter',
          case when st <> 'unconfirmed' then at + interval '5 minutes' end, case when st = 'unsubscribed' then at + interval '30 days' end, at, at, at
     from (
       select g, case when g <= 900000 then 1 else 2 + (g % 19) end as grp,
              case when g <= 900000 then g else ((g - 900000)::bigint * 9001) % 1000000 + 1 end as k,
              case when g % 100 < 88 then 'confirmed' when g % 100 < 93 then 'unconfirmed' else 'unsubscribed' end as st,
              now() - interval '4 years' + g * (interval '4 years' / 1000000) as at
         from generate_series(1, 1000000) g) x
   on conflict do nothing`,
);
await step(
  "subscriptions site 2",
  `insert into subscriptions (site_id, group_id, email, name, status, source, created_at)
   select ${S2}, 1 + g % 2, 'small' || g || '@example.org', 'Small ' || g, 'confirmed', 'screen', now() - g * interval '1 hour'
     from generate_series(1, 5000) g`,
);
await step(
  "subscriber_keys",
  `insert into subscriber_keys (site_id, email, token, suppressed_at)
   select site_id, email, md5(email || random()::text) || md5(random()::text), case when abs(hashtext(email)) % 200 = 0 then now() - interval '10 days' end
     from (select distinct site_id, email from subscriptions) d`,
);

// SMS opt-outs: 100,000 on site 1 (a third of them numbers of subscribers), 1,000 on site 2.
await step(
  "sms_opt_outs",
  `insert into sms_opt_outs (site_id, phone, keyword, source, received_at)
   select case when g > 100000 then ${S2} else ${S1} end,
          case when g % 3 = 0 then ${phone("(g * 5)")} else '+337' || lpad(((g::bigint * 104729) % 100000000)::text, 8, '0') end,
          (array['STOP','ARRET','',''])[1 + g % 4], (array['reply','provider','admin'])[1 + g % 3], now() - make_interval(secs => 101000 - g) * 300
     from generate_series(1, 101000) g on conflict do nothing`,
);

// SMS replies: 200,000 on site 1, 10,000 on site 2.
await step(
  "sms_replies",
  `insert into sms_replies (site_id, phone, text, action, answers, received_at)
   select case when g % 21 = 0 then ${S2} else ${S1} end, ${phone("(g * 3)")}, 'Reply number ' || g || ': can I come with a friend?',
          case when g % 33 = 0 then 'opt_out' when g % 101 = 0 then 'opt_in' end, case when g % 50 = 7 then 1 else 0 end,
          now() - make_interval(secs => 210000 - g) * 120
     from generate_series(1, 210000) g`,
);

// 200 templates on site 1 (a quarter SMS), 10 on site 2.
await step(
  "message_templates",
  `insert into message_templates (site_id, name, channel, subject, html, text, from_name, from_address, group_ids, pasted_recipients, created_at, updated_at)
   select case when g > 200 then ${S2} else ${S1} end, 'Template ' || g, case when g % 4 = 0 and g <> 200 then 'sms' else 'email' end,
          'Issue ' || g || ' for {{name|friend}}', '<p>Hello {{name|friend}}, issue ' || g || '</p>', 'Hello {{name|friend}}, issue ' || g || '. Reply STOP to opt out.',
          'News', 'news@example.org',
          case when g > 200 then '[1]'::jsonb when g = 200 then '[1]'::jsonb else to_jsonb(array[1 + g % 20, 1 + (g * 7) % 20]) end,
          case when g % 10 = 0 then E'extra1@example.org\\nextra2@example.org' else '' end,
          now() - (220 - g) * interval '1 day', now() - (220 - g) * interval '1 day'
     from generate_series(1, 210) g`,
);

// 500 sends on site 1 (each template 2-3 times), the 500th = the big one (template 200, group 1);
// the 499th = 100,000 recipients. One outbound message each.
await step(
  "outbound_messages for sends",
  `insert into outbound_messages (site_id, kind, subject, text, html, from_name, from_address, keeps_sms_hours, created_at)
   select ${S1}, 'newsletter', case when t.channel = 'sms' then '' else 'Issue ' || n || ' for {{name}}' end, t.text, case when t.channel = 'email' then t.html end,
          'News', 'news@example.org', t.channel = 'sms', now() - (500 - n) * interval '17 hours'
     from generate_series(1, 500) n join message_templates t on t.site_id = ${S1} and t.name = 'Template ' || case when n = 500 then 200 when n = 499 then 199 else 1 + (n % 199) end
    order by n`,
);
await step(
  "newsletter_sends",
  `insert into newsletter_sends (site_id, template_id, message_id, status, subject, queued_at, recipient_count, created_at)
   select ${S1}, t.id, m.id, case when n % 50 = 0 then 'cancelled' else 'queued' end, m.subject, m.created_at,
          case when n = 500 then 1000000 when n = 499 then 100000 else 400 end, m.created_at
     from (select id, subject, created_at, row_number() over (order by id) as n from outbound_messages where site_id = ${S1} and kind = 'newsletter') m
     join message_templates t on t.site_id = ${S1} and t.name = 'Template ' || case when n = 500 then 200 when n = 499 then 199 else 1 + (n % 199) end
    order by n`,
);
await step(
  "outbound_messages other",
  `insert into outbound_messages (site_id, kind, subject, text, from_address, created_at)
   select ${S1}, (array['password_reset','password_changed','sms_test'])[1 + g % 3], case when g % 3 = 2 then '' else 'Your password' end, 'Hello {{name}}', 'noreply@example.org', now() - g * interval '1 day'
     from generate_series(1, 60) g;
   insert into outbound_messages (site_id, kind, subject, text, from_address)
   select ${S2}, 'newsletter', 'Small issue ' || g, 'Hello', 'news@small.example.org' from generate_series(1, 20) g`,
);

// Queue rows. Statuses as a mature queue has them; errors with the providers' own words.
const errorText = `(array['550 5.1.1 <x@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
  '421 4.7.0 Try again later, closing connection. (EHLO) s1-20020a05600c4c0100b003f60d6c6d7esm1234567wmq.33 - gsmtp',
  'connect ETIMEDOUT 203.0.113.25:25', '552 5.2.2 The email account that you tried to reach is over quota.',
  'SMPP submit_sm_resp: ESME_RINVDSTADR (0x0000000B) invalid destination address'])`;
const queueInsert = (where: string, rowsSql: string) => `
  insert into queue (site_id, message_id, channel, recipient, recipient_name, variables, status, attempts, retryable, last_error,
                     lease_token, lease_expires_at, queued_at, sent_at, delivered_at, updated_at, next_attempt_at, provider_message_id)
  select site, msg, ch, case when ch = 'sms' then ${phone("k")} else 'person' || k || '@' || (array['example.org','mail.example.net','assoc.example.fr','example.com'])[1 + k % 4] end,
         'Person ' || k,
         case when ch = 'email' then jsonb_build_object('name', 'Person ' || k, 'email', 'person' || k || '@example.org', 'unsubscribe_url', 'http://localhost:3000/api/unsubscribe/' || md5(k::text)) else '{}'::jsonb end,
         st, case when st = 'error' then 3 when st = 'pending' then 0 else 1 end, st = 'error' and e = 2,
         case when st = 'error' then ${errorText}[1 + e] end,
         case when st = 'sending' then gen_random_uuid() end, case when st = 'sending' then now() + interval '5 minutes' end,
         at, case when st in ('sent','delivered') then at + interval '1 minute' end, case when st = 'delivered' then at + interval '2 minutes' end,
         at, case when st = 'pending' then now() + interval '1 hour' else at end,
         case when st in ('sent','delivered') then md5(k::text || msg::text) end
    from (${rowsSql}) x ${where}`;

// 498 small sends (400 rows each, ~200k rows), chronological, email or SMS as their template.
await step(
  "queue: 498 small sends",
  queueInsert(
    "",
    `select ${S1} as site, m.id as msg, case when m.keeps_sms_hours then 'sms' else 'email' end as ch, (m.id * 400 + i) % 1000000 + 1 as k,
            case when r < 90 then 'sent' when r < 93 then 'delivered' else 'error' end as st, (i % 5) as e,
            m.created_at + i * interval '1 second' as at
       from (select id, keeps_sms_hours, created_at, row_number() over (order by id) n from outbound_messages where site_id = ${S1} and kind = 'newsletter') m,
            generate_series(1, 400) i, lateral (select floor(random() * 100 + i * 0)::int as r) h
      where m.n <= 498 order by m.id, i`,
  ),
);
// The 100,000-recipient send: 4,900 errors (under the report's 5,000 retry-plan threshold).
await step(
  "queue: 100k send",
  queueInsert(
    "",
    `select ${S1} as site, (select message_id from newsletter_sends where recipient_count = 100000) as msg, 'email' as ch, i as k,
            case when i % 1000 < 49 then 'error' else 'sent' end as st, (i % 5) as e, now() - interval '2 days' + i * interval '10 ms' as at
       from generate_series(1, 100000) i`,
  ),
);
// The 1,000,000-recipient send (group 1's confirmed members and then some), going out now.
await step(
  "queue: 1M send",
  queueInsert(
    "",
    `select ${S1} as site, (select message_id from newsletter_sends where recipient_count = 1000000) as msg, 'email' as ch, i as k,
            case when r < 85 then 'sent' when r < 89 then 'error' when r < 98 then 'pending' when r < 99 then 'sending' else 'sent' end as st,
            (i % 5) as e, now() - interval '3 hours' + i * interval '10 ms' as at
       from generate_series(1, 1000000) i, lateral (select floor(random() * 100 + i * 0)::int as r) h`,
  ),
);
// Password resets, notices and test SMS: 20,000 rows on site 1, and site 2's 20,000 rows.
await step(
  "queue: transactional + site 2",
  queueInsert(
    "",
    `select ${S1} as site, m.id as msg, case when m.kind = 'sms_test' then 'sms' else 'email' end as ch, 1 + (i * 31 + m.id) % 1000000 as k,
            case when i % 20 = 0 then 'error' else 'sent' end as st, (i % 5) as e, now() - interval '1 hour' + i * interval '1 ms' as at
       from (select id, kind from outbound_messages where site_id = ${S1} and kind <> 'newsletter') m, generate_series(1, 333) i
     union all
     select ${S2}, m.id, 'email', 1 + i, case when i % 10 = 0 then 'error' else 'sent' end, (i % 5), now() - interval '30 minutes' + i * interval '1 ms'
       from (select id from outbound_messages where site_id = ${S2}) m, generate_series(1, 1000) i`,
  ),
);
// Some history for the rows in error (the detail screen shows it).
await step(
  "queue_events for errors",
  `insert into queue_events (queue_id, at, from_status, to_status, actor, error)
   select id, updated_at, 'sending', 'error', 'runner:seed', last_error from queue where status = 'error'`,
);
await step("vacuum analyze", `vacuum analyze`);
for (const r of await db`select relname, n_live_tup from pg_stat_user_tables where n_live_tup > 1000 order by n_live_tup desc`) console.log(`  ${r.relname}: ${r.n_live_tup}`);
await db.end();
