import { sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/index.js';
import { demoGivenNames, demoReports, demoSurnames } from './work-orders-texts.js';

/** Relative weights of the categories outside the heating season (12345 mix of a northern city). */
const weights: Record<string, number> = {
  'city.environment': 12,
  'city.order': 8,
  'city.facilities': 10,
  'city.traffic': 5,
  'city.greenery': 4,
  'city.construction': 5,
  'city.emergency': 1,
  'livelihood.water': 8,
  'livelihood.property': 14,
  'livelihood.noise': 8,
  'livelihood.neighbours': 6,
  'livelihood.wages': 3,
  'livelihood.dogs': 4,
  'livelihood.elderly': 3,
  'livelihood.other': 5,
};

/** A person's name picked by the integer SQL expression `k` (the same k, the same person). */
const surnames = sql.raw(String(demoSurnames.length));
const givenNames = sql.raw(String(demoGivenNames.length));
const nameOf = (k: ReturnType<typeof sql>) =>
  sql`(${`{${demoSurnames.join(',')}}`}::text[])[1 + (${k}) % ${surnames}]
    || (${`{${demoGivenNames.join(',')}}`}::text[])[1 + ((${k}) / ${surnames}) % ${givenNames}]`;

/**
 * A year of work orders under `districtPath` in bulk SQL (INSERT … SELECT, seeded): heating claims
 * up to 45 % of the mix in the heating season (Nov–Mar, less in Oct and Apr), most orders closed
 * through the whole loop, some duplicates and refusals, some rework, some still open and overdue,
 * ratings mostly satisfied; events and whistles written to match, so statistics read real shapes.
 */
export async function generateWorkOrders(ex: Executor, districtPath: string, n: number, from: number | Date) {
  // A calendar year, or the 365 days from a date (the demo: the year up to today).
  const start = typeof from === 'number' ? `${from}-01-01T00:00:00+08:00` : from.toISOString();
  const q = (s: ReturnType<typeof sql>) => ex.execute(s);
  await q(sql`select setseed(0.4242)`);
  await q(
    sql`drop table if exists bench_wo_cat, bench_wo_place, bench_wo_dept, bench_wo_g, bench_wo_serial, bench_wo_text`,
  );
  const texts = Object.entries(demoReports).flatMap(([code, list]) =>
    list.map(([title, description], k) => sql`(${code}, ${k}, ${list.length}, ${title}, ${description})`),
  );
  await q(sql`create temp table bench_wo_text as
    select v.code, v.k::int as k, v.n::int as n, v.title, v.description from (values ${sql.join(texts, sql`, `)}) v(code, k, n, title, description)`);
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  let lo = 0;
  const ranges = Object.entries(weights).map(([code, w]) => {
    const r = sql`(${code}, ${lo / total}::float8, ${(lo + w) / total}::float8)`;
    lo += w;
    return r;
  });
  await q(sql`create temp table bench_wo_cat as
    select c.id, c.name, v.lo, v.hi from (values ${sql.join(ranges, sql`, `)}) v(code, lo, hi)
    join work_order_category c on c.code = v.code`);
  await q(sql`create temp table bench_wo_place as
    select row_number() over (order by path) - 1 as idx, id, path, district_code from org_unit
    where kind = 'grid' and path <@ ${districtPath}::ltree and deleted_at is null`);
  await q(sql`create temp table bench_wo_dept as
    select row_number() over (order by code) - 1 as idx, id, path from org_unit
    where kind = 'department' and path <@ ${districtPath}::ltree`);
  await q(sql`create temp table bench_wo_g as
    with r as (
      select i, gen_random_uuid() as id, random() as r_day, random() as r_hour, random() as r_place,
        random() as r_heat, random() as r_cat, random() as r_channel, random() as r_fate, random() as r_resp,
        random() as r_sign, random() as r_work, random() as r_verify, random() as r_rate, random() as r_rating,
        random() as r_dept, random() as r_whistle, random() as r_outcome, random() as r_lng, random() as r_lat,
        random() as r_text, random() as r_who
      from generate_series(1, ${n}) i
    ), t as (
      select r.*, ${start}::timestamptz + make_interval(days => floor(r_day * 365)::int)
        + make_interval(secs => (8 + r_hour * 12) * 3600) as created
      from r
    ), m as (
      select t.*, extract(month from (created at time zone 'UTC') + interval '8 hours')::int as month,
        case when r_fate < 0.06 then 'duplicate' when r_fate < 0.11 then 'rejected'
          when r_fate < 0.14 then 'open' else 'closed' end as fate,
        case when r_resp < 0.9 then 0.5 + r_resp * 20 else 25 + r_resp * 40 end as resp_h
      from t
    )
    select m.*,
      case when (month in (11, 12, 1, 2, 3) and r_heat < 0.45) or (month in (4, 10) and r_heat < 0.1)
        then (select id from work_order_category where code = 'livelihood.heating')
        else (select c.id from bench_wo_cat c where m.r_cat >= c.lo and m.r_cat < c.hi limit 1) end as category_id,
      case when r_channel < 0.45 then 'hotline' when r_channel < 0.75 then 'snapshot'
        when r_channel < 0.95 then 'patrol' when r_channel < 0.99 then 'walkIn' else 'residentTalk' end as channel,
      p.id as place_id, p.path as org_path, p.district_code, p.idx as place_idx,
      case when r_dept < 0.6 then d.id else p.id end as handler_id,
      case when r_dept < 0.6 then d.path else p.path end as handler_path,
      case when r_dept < 0.6 then d.idx * 13 + 5 else p.idx * 7 + 3 end as handler_k,
      r_dept < 0.6 and r_whistle < 0.05 as whistled,
      created + make_interval(secs => resp_h * 3600) as accepted_at,
      created + make_interval(secs => (resp_h + 1) * 3600) as dispatched_at,
      created + make_interval(secs => (resp_h + 1 + r_sign * r_sign * 40) * 3600) as signed_at,
      created + make_interval(secs => (resp_h + 1 + r_sign * r_sign * 40 + 2 + r_work * r_work * 150) * 3600) as resolved_at,
      created + interval '3 days' as due_at
    from m
    join bench_wo_place p on p.idx = floor(m.r_place * (select count(*) from bench_wo_place))
    join bench_wo_dept d on d.idx = floor(m.r_dept / 0.6 * (select count(*) from bench_wo_dept))::int % (select count(*) from bench_wo_dept)`);
  await q(sql`analyze bench_wo_g`);
  // Nothing happens after now: an order whose loop would end later is still being handled, and the
  // first steps of a recent one fall inside the time it has had so far.
  await q(sql`update bench_wo_g set fate = 'open'
    where fate = 'closed' and resolved_at + interval '3 days' > now()`);
  await q(sql`update bench_wo_g set
    accepted_at = least(accepted_at, created + (now() - created) * 0.3),
    dispatched_at = least(dispatched_at, created + (now() - created) * 0.5)`);
  // The end of the loop: rework (6 %), verification, rating (70 %), follow-up.
  await q(sql`alter table bench_wo_g add column rework boolean, add column verified_at timestamptz,
    add column rated_at timestamptz, add column rating text, add column outcome text, add column closed_at timestamptz`);
  await q(sql`update bench_wo_g set
    rework = fate = 'closed' and r_verify < 0.06,
    verified_at = case when fate <> 'closed' then null
      when r_verify < 0.06 then resolved_at + interval '28 hours' else resolved_at + make_interval(secs => (1 + r_verify * 20) * 3600) end,
    outcome = case fate when 'duplicate' then 'duplicate' when 'rejected' then 'notOurs' when 'open' then null
      else case when r_outcome < 0.85 then 'resolved' else 'explained' end end`);
  await q(sql`update bench_wo_g set
    closed_at = case fate when 'closed' then verified_at when 'open' then null else accepted_at end,
    rated_at = case when fate = 'closed' and r_rate < 0.7 then verified_at + interval '1 day' end,
    rating = case when fate = 'closed' and r_rate < 0.7 then
      case when r_rating < 0.75 then 'satisfied' when r_rating < 0.92 then 'basicallySatisfied' else 'unsatisfied' end end`);
  // Number each day's orders after what the day's counter already holds, and advance it in the same
  // transaction: an intake filed later for one of these days takes the next number, never a used one.
  await q(sql`alter table bench_wo_g add column day date`);
  await q(sql`update bench_wo_g set day = ((created at time zone 'UTC') + interval '8 hours')::date`);
  await q(sql`create temp table bench_wo_serial as
    select g.district_code, g.day, count(*)::int as n, coalesce(max(s.last), 0) as base
    from bench_wo_g g left join work_order_serial s on s.district_code = g.district_code and s.day = g.day
    group by g.district_code, g.day`);
  await q(sql`insert into work_order_serial (district_code, day, last)
    select district_code, day, base + n from bench_wo_serial
    on conflict (district_code, day) do update set last = excluded.last`);
  await q(sql`insert into work_order (id, number, channel, category_id, title, description, lng, lat, place_id, org_path,
      district_code, reporter_name, urgency, status, outcome, handler_unit_id, handler_path, due_at, rating,
      rework_count, state, event_count, created_at, updated_at, closed_at)
    select g.id, 'GD' || to_char(g.day, 'YYYYMMDD') || lpad(g.serial::text, greatest(4, length(g.serial::text)), '0'),
      g.channel, g.category_id, coalesce(x.title, c.name), coalesce(x.description, c.name), 109.82 + g.r_lng * 0.26,
      39.72 + g.r_lat * 0.18, g.place_id, g.org_path, g.district_code, ${nameOf(sql`floor(g.r_who * 100000)::int`)}, 'normal',
      case g.fate when 'open' then 'dispatched' else 'closed' end, g.outcome,
      case when g.fate in ('open', 'closed') then g.handler_id end,
      case when g.fate in ('open', 'closed') then g.handler_path end,
      g.due_at, g.rating, case when g.rework then 1 else 0 end, '{}'::jsonb,
      case g.fate when 'closed' then 7 + (case when g.rework then 2 else 0 end) + (case when g.rating is not null then 1 else 0 end)
        when 'open' then 3 else 2 end + (case when g.whistled and g.fate in ('open', 'closed') then 1 else 0 end),
      g.created, coalesce(g.closed_at, g.dispatched_at), g.closed_at
    from (
      select g.*, s.base + row_number() over (partition by g.district_code, g.day order by g.created) as serial
      from bench_wo_g g join bench_wo_serial s using (district_code, day)
    ) g
    join work_order_category c on c.id = g.category_id
    left join bench_wo_text x on x.code = c.code and x.k = floor(g.r_text * x.n)::int`);
  // Who did each step: the resident who reported (or the grid worker on patrol), the community's
  // worker who triaged, dispatched and verified, the handler's staff who signed for it and resolved it.
  await q(
    sql`alter table bench_wo_g add column reporter text, add column clerk text, add column handler_person text`,
  );
  await q(sql`update bench_wo_g set reporter = ${nameOf(sql`floor(r_who * 100000)::int`)},
    clerk = ${nameOf(sql`place_idx * 11 + 1`)}, handler_person = ${nameOf(sql`handler_k`)}`);
  await q(sql`insert into work_order_event (id, work_order_id, seq, type, at, actor_name, data)
    select gen_random_uuid(), e.wid, row_number() over (partition by e.wid order by e.at, e.ord), e.type, e.at, e.who, e.data
    from (
      select id as wid, 1 as ord, 'created' as type, created as at,
        case when channel = 'patrol' then ${nameOf(sql`place_idx * 7 + 3`)} when channel = 'hotline' then '12345热线' else reporter end as who,
        jsonb_build_object('channel', channel) as data from bench_wo_g
      union all select id, 2, 'accepted', accepted_at, clerk, '{}'::jsonb from bench_wo_g where fate in ('open', 'closed')
      union all select id, 2, 'rejected', accepted_at, clerk, '{"reason":"不属于本辖区职责"}'::jsonb from bench_wo_g where fate = 'rejected'
      union all select id, 2, 'merged', accepted_at, clerk, '{}'::jsonb from bench_wo_g where fate = 'duplicate'
      union all select id, 3, 'dispatched', dispatched_at, clerk, jsonb_build_object('handlerUnitId', handler_id) from bench_wo_g where fate in ('open', 'closed')
      union all select id, 4, 'whistled', dispatched_at + interval '2 hours', clerk, jsonb_build_object('departmentIds', jsonb_build_array(handler_id)) from bench_wo_g where whistled and fate in ('open', 'closed')
      union all select id, 5, 'accepted', signed_at, handler_person, '{}'::jsonb from bench_wo_g where fate = 'closed'
      union all select id, 6, 'resolved', resolved_at, handler_person, jsonb_build_object('outcome', coalesce(outcome, 'resolved')) from bench_wo_g where fate = 'closed'
      union all select id, 7, 'verificationFailed', resolved_at + interval '2 hours', clerk, '{"reason":"现场核实未解决"}'::jsonb from bench_wo_g where rework
      union all select id, 8, 'resolved', resolved_at + interval '26 hours', handler_person, jsonb_build_object('outcome', outcome) from bench_wo_g where rework
      union all select id, 9, 'verified', verified_at, clerk, '{}'::jsonb from bench_wo_g where fate = 'closed'
      union all select id, 10, 'rated', rated_at, reporter, jsonb_build_object('rating', rating) from bench_wo_g where rating is not null
      union all select id, 11, 'followedUp', verified_at + interval '20 hours', clerk, '{"satisfied":true}'::jsonb from bench_wo_g where fate = 'closed'
    ) e`);
  await q(sql`insert into work_order_whistle (work_order_id, department_id, department_path, whistled_at, due_at, acknowledged_at, replied_at)
    select id, handler_id, handler_path, dispatched_at + interval '2 hours', dispatched_at + interval '26 hours',
      case when r_whistle < 0.042 then dispatched_at + interval '6 hours' end,
      case when r_whistle < 0.035 then dispatched_at + interval '20 hours' end
    from bench_wo_g where whistled and fate in ('open', 'closed')`);
  await q(
    sql`drop table bench_wo_cat, bench_wo_place, bench_wo_dept, bench_wo_g, bench_wo_serial, bench_wo_text`,
  );
  await q(sql`analyze work_order`);
  await q(sql`analyze work_order_event`);
  await q(sql`analyze work_order_whistle`);
}
