import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/app.js';
import { openAppContext } from '../src/domains.js';
import { assignRole, createUser } from '../src/modules/accounts/service.js';
import { seededRandom } from '../src/modules/demo/random.js';
import { generateWorkOrders } from '../src/modules/demo/work-orders-data.js';
import { generateDemoDistrict } from '../src/modules/org/demo.js';
import { summarise, workOrderRankings, workOrderStats } from '../src/modules/work-orders/stats.js';
import type { SessionUser } from '../src/platform/auth/authorize.js';
import { loadConfig } from '../src/platform/config.js';
import type { AppContext, Caller } from '../src/platform/context.js';
import { type Database, rowsOf } from '../src/platform/db/index.js';
import { bareInsertRate } from './lib/baseline.js';
import { freshDatabase } from './lib/fresh-database.js';
import type { Bench, BenchRow } from './lib/types.js';

const orders = Number(process.env.BENCH_WORK_ORDERS ?? 100_000);
const box = { minLng: 109.82, minLat: 39.72, maxLng: 110.08, maxLat: 39.9 };
const period = { from: new Date('2025-01-01T00:00:00+08:00'), to: new Date('2026-01-01T00:00:00+08:00') };
const asOf = new Date('2026-06-01T00:00:00+08:00');
const password = 'Bench-Pass-2026x';

/**
 * Work orders at district scale, on PGlite and (with BENCH_DATABASE_URL or DATABASE_URL) on
 * PostgreSQL: (a) the statistics of a year of 100k generated orders in the demo district through
 * workOrderStats() against the same figures in hand-written SQL; (b) intake requests/s over HTTP
 * (autocannon, 200 connections, distinct Idempotency-Keys) against the bare INSERT rates of the
 * same database in the same run.
 */
export const bench: Bench = {
  name: 'work-orders',
  async run() {
    // BENCH_ONLY=postgres skips PGlite (its 100k-order year takes many minutes on a busy machine).
    const rows = process.env.BENCH_ONLY === 'postgres' ? [] : await measure(undefined);
    const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
    if (url) rows.push(...(await measure(url)));
    return rows;
  },
};

async function measure(serverUrl: string | undefined): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'grassroots-bench-wo-'));
  const fresh = serverUrl ? await freshDatabase(serverUrl, 'wo') : null;
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const config = loadConfig({
    ...env,
    ...(fresh ? { DATABASE_URL: fresh.url } : {}),
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    GRASSROOTS_DEMO: '0',
    LOGIN_RATE_PER_MINUTE: '100000',
  });
  const ctx = await openAppContext(config);
  const d = ctx.database.driver;
  const rows: BenchRow[] = [];
  try {
    const bare = await bareInsertRate(ctx.database, 100_000);
    rows.push({ name: `work-orders ${d}: bare multi-row INSERT`, value: Math.round(bare), unit: 'rows/s' });
    const single = await bareSingleRowRate(ctx.database);
    rows.push({
      name: `work-orders ${d}: bare single-row INSERT, 200 concurrent`,
      value: Math.round(single),
      unit: 'rows/s',
      note: d === 'postgres' ? 'pool of 10, as the server' : 'one connection (PGlite)',
    });

    await ctx.db.transaction((tx) =>
      generateDemoDistrict(tx, {
        districtCode: '150602',
        box,
        basicGrids: 684,
        exclusiveGrids: 125,
        buildingsPerGrid: 1,
        random: seededRandom(150602),
      }),
    );
    const [district] = rowsOf<{ id: string; path: string }>(
      await ctx.db.execute(sql`select id, path::text as path from org_unit where code = '150602'`),
    );
    const t0 = performance.now();
    await generateWorkOrders(ctx.db, district.path, orders, 2025);
    const [counts] = rowsOf<{ events: number }>(
      await ctx.db.execute(sql`select count(*)::int as events from work_order_event`),
    );
    rows.push({
      name: `work-orders ${d}: generate a year of work orders (INSERT … SELECT)`,
      value: +((performance.now() - t0) / 1000).toFixed(2),
      unit: 's',
      note: `${orders.toLocaleString('en')} orders, ${counts.events.toLocaleString('en')} events, 809 grids`,
    });

    rows.push(...(await statsTimes(ctx, d, district)));
    rows.push(...(await intakeRate(ctx, d, bare, single)));
  } finally {
    await ctx.jobs.stop();
    await ctx.database.close();
    await fresh?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const callerAt = (unit: { id: string; path: string }): Caller => {
  const user: SessionUser = {
    id: '00000000-0000-7000-8000-000000000001',
    username: 'bench',
    displayName: 'bench',
    kind: 'staff',
    assignments: [{ id: 'a', role: 'districtStaff', orgUnitId: unit.id, orgPath: unit.path, orgName: null }],
    actingAssignmentId: null,
    sessionId: 's',
  };
  return { user, ip: null, requestId: null, locale: 'zh-CN' };
};

async function timeIt(fn: () => Promise<unknown>, times = 5) {
  await fn();
  const t0 = performance.now();
  for (let i = 0; i < times; i++) await fn();
  return (performance.now() - t0) / times;
}

/** The same cohort and counts as workOrderStats(), written out by hand as one would at the psql prompt. */
const handStats = (ctx: AppContext, path: string) =>
  ctx.db.execute(sql`
    select grouping(w.category_id, w.channel, to_char((w.created_at at time zone 'UTC') + interval '8 hours', 'YYYY-MM')) as g,
      w.category_id, w.channel, to_char((w.created_at at time zone 'UTC') + interval '8 hours', 'YYYY-MM') as period,
      count(*)::int as total,
      count(*) filter (where w.outcome = 'duplicate')::int as duplicates,
      count(*) filter (where w.outcome is distinct from 'duplicate')::int as counted,
      count(*) filter (where w.status <> 'closed')::int as open,
      count(*) filter (where w.status <> 'closed' and w.due_at < ${asOf.toISOString()}::timestamptz)::int as overdue,
      count(*) filter (where w.outcome is distinct from 'duplicate' and e.first_response <= w.created_at + interval '24 hours')::int as responded,
      count(*) filter (where w.status = 'closed' and w.outcome <> 'duplicate')::int as closed,
      count(*) filter (where w.status = 'closed' and w.outcome = 'resolved')::int as solved,
      count(*) filter (where w.status = 'closed' and w.outcome <> 'duplicate' and w.closed_at <= w.due_at)::int as closed_on_time,
      count(*) filter (where w.status = 'closed' and w.outcome <> 'duplicate' and e.reworked)::int as reworked,
      count(*) filter (where w.rating is not null)::int as rated,
      count(*) filter (where w.rating in ('satisfied', 'basicallySatisfied'))::int as satisfied,
      count(*) filter (where w.rating = 'unsatisfied')::int as unsatisfied,
      count(*) filter (where e.dispatched and (e.signed is not null or w.due_at < ${asOf.toISOString()}::timestamptz))::int as accept_judged,
      count(*) filter (where e.dispatched and e.signed <= w.due_at)::int as accepted_on_time,
      count(*) filter (where w.problem and w.status <> 'closed')::int as problem,
      avg(extract(epoch from w.closed_at - w.created_at) / 3600) filter (where w.status = 'closed' and w.outcome <> 'duplicate') as avg_hours
    from work_order w
    left join (
      select work_order_id,
        min(at) filter (where type in ('accepted', 'rejected')) as first_response,
        least((array_agg(at order by seq) filter (where type = 'accepted'))[2], min(at) filter (where type = 'resolved')) as signed,
        bool_or(type = 'dispatched') as dispatched,
        bool_or(type in ('verificationFailed', 'reopened')) as reworked
      from work_order_event group by work_order_id
    ) e on e.work_order_id = w.id
    where w.org_path <@ ${path}::ltree and w.created_at >= ${period.from.toISOString()}::timestamptz
      and w.created_at < ${period.to.toISOString()}::timestamptz
    group by grouping sets ((), (w.category_id), (w.channel), (4))`);

const handOverdue = (ctx: AppContext, path: string) =>
  ctx.db.execute(sql`select w.id, w.number, w.title, w.due_at, count(*) over() as total from work_order w
    where w.status <> 'closed' and w.due_at < ${asOf.toISOString()}::timestamptz and w.org_path <@ ${path}::ltree
    order by w.due_at limit 20`);

async function statsTimes(ctx: AppContext, d: string, district: { id: string; path: string }) {
  const caller = callerAt(district);
  const q = { orgUnitId: district.id, ...period, asOf };
  const ours = await workOrderStats(ctx, caller, q);
  const hand = rowsOf<any>(await handStats(ctx, district.path));
  // The two must agree before their times mean anything.
  const handTotal = summarise(hand.find((r) => r.g === 7));
  if (JSON.stringify(handTotal) !== JSON.stringify(ours.summary))
    throw new Error(`stats differ:\n${JSON.stringify(handTotal)}\n${JSON.stringify(ours.summary)}`);
  const helper = await timeIt(() => workOrderStats(ctx, caller, q));
  const bare = await timeIt(async () => {
    await handStats(ctx, district.path);
    await handOverdue(ctx, district.path);
  });
  const s = ours.summary;
  const rates = `办结率 ${s.resolvedRate}, 满意率 ${s.satisfactionRate}, 响应率 ${s.responseRate}, 按期 ${s.onTimeRate}`;
  const rankings = await timeIt(() => workOrderRankings(ctx, caller, { ...q, kind: 'community' }), 3);
  const depts = await timeIt(() => workOrderRankings(ctx, caller, { ...q, kind: 'department' }), 3);
  return [
    {
      name: `work-orders ${d}: year stats of the district, hand-written SQL`,
      value: +bare.toFixed(1),
      unit: 'ms',
      note: `${s.total} orders; ${rates}`,
    },
    {
      name: `work-orders ${d}: year stats of the district, workOrderStats()`,
      value: +helper.toFixed(1),
      unit: 'ms',
      ratioTo: `work-orders ${d}: year stats of the district, hand-written SQL`,
      ratio: helper / bare,
    },
    {
      name: `work-orders ${d}: 红黑榜 of the district's communities`,
      value: +rankings.toFixed(1),
      unit: 'ms',
    },
    { name: `work-orders ${d}: 红黑榜 of the district's departments`, value: +depts.toFixed(1), unit: 'ms' },
  ];
}

/** Single-row INSERTs, each its own statement and commit, from 200 concurrent callers for 5 s. */
async function bareSingleRowRate(database: Database, seconds = 5, concurrency = 200) {
  await database.db.execute(sql`drop table if exists bench_single`);
  await database.db.execute(
    sql`create table bench_single (id int primary key, name text not null, code text not null, n int not null)`,
  );
  let next = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const i = next++;
        await database.db.execute(
          sql`insert into bench_single (id, name, code, n) values (${i}, ${`居民${i}`}, '150602001001', ${i % 97})`,
        );
      }
    }),
  );
  const rate = next / ((performance.now() - t0) / 1000);
  await database.db.execute(sql`drop table bench_single`);
  return rate;
}

/** POST /api/work-orders on a listening server, each request with its own Idempotency-Key. */
async function intakeRate(ctx: AppContext, d: string, bare: number, single: number): Promise<BenchRow[]> {
  const [place] = rowsOf<{ id: string; path: string }>(
    await ctx.db.execute(sql`select id, path::text as path from org_unit where kind = 'community'
      and path <@ (select path from org_unit where code = '150602') order by code limit 1`),
  );
  const [heating] = rowsOf<{ id: string }>(
    await ctx.db.execute(sql`select id from work_order_category where code = 'livelihood.heating'`),
  );
  await ctx.db.transaction(async (tx) => {
    const u = await createUser(tx, {
      username: 'bench-intake',
      displayName: '热线坐席',
      password,
      kind: 'staff',
    });
    await assignRole(tx, { userId: u.id, role: 'communityWorker', orgUnitId: place.id, orgPath: place.path });
  });
  const app = await buildApp(ctx, { logger: false });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'bench-intake', password },
    });
    const token = login.json().token as string;
    const body = JSON.stringify({
      channel: 'hotline',
      categoryId: heating.id,
      description: '暖气不热，室温只有十四度，家里有老人',
      placeId: place.id,
      reporterName: '刘女士',
      reporterPhone: '13800001111',
    });
    const requests = [
      {
        method: 'POST' as const,
        path: '/api/work-orders',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
        // A file, not a function: autocannon runs in a worker thread of its own, so the load it
        // makes does not share the server's event loop.
        setupRequest: fileURLToPath(new URL('./lib/idempotency-request.cjs', import.meta.url)),
        onResponse: fileURLToPath(new URL('./lib/record-failure.cjs', import.meta.url)),
      },
    ];
    const failures = join(mkdtempSync(join(tmpdir(), 'grassroots-bench-fail-')), 'failures.log');
    process.env.BENCH_FAILURES_FILE = failures;
    // Warm up with a fixed number of requests that all finish, so no backlog meets the measured run.
    await autocannon({ url, connections: 10, amount: 50, requests, workers: 1 } as any);
    // Long enough, and patient enough, that 200 queued connections complete on a slow machine.
    const result = await autocannon({
      url,
      connections: 200,
      duration: 20,
      timeout: 60,
      requests,
      workers: 1,
    } as any);
    const ok = result['2xx'];
    // Two ceilings, with the same load generator and connections (10 s each): node:http answering a
    // constant (no framework, no database: the machine's and load generator's own), and the
    // cheapest request this server answers (GET /api/health, one database round trip).
    const ceiling = (at: string) =>
      autocannon({
        url: at,
        connections: 200,
        duration: 10,
        workers: 1,
      } as any) as Promise<autocannon.Result>;
    const constant = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    );
    await new Promise<void>((r) => constant.listen(0, '127.0.0.1', r));
    const empty = await ceiling(`http://127.0.0.1:${(constant.address() as AddressInfo).port}/`);
    await new Promise((r) => constant.close(r));
    const health = await ceiling(`${url}/api/health`);
    const why = existsSync(failures)
      ? [...new Set(readFileSync(failures, 'utf8').split('\n'))].filter(Boolean)
      : [];
    const rate = ok / (result.duration || 20);
    return [
      {
        name: `work-orders ${d}: intake POST /api/work-orders, 200 connections`,
        value: Math.round(rate),
        unit: 'req/s',
        ratioTo: `work-orders ${d}: bare multi-row INSERT`,
        ratio: rate / bare,
        note: `${(rate / single).toFixed(2)} × bare single-row INSERT; ${result.non2xx} non-2xx${why.length ? ` (${why.slice(0, 3).join(' | ')})` : ''}, ${result.errors} errors, ${result.timeouts} timeouts`,
      },
      {
        name: `work-orders ${d}: HTTP ceiling, GET /api/health, 200 connections`,
        value: Math.round(health.requests.average),
        unit: 'req/s',
        ratioTo: `work-orders ${d}: bare multi-row INSERT`,
        ratio: health.requests.average / bare,
        note: `intake is ${(rate / health.requests.average).toFixed(2)} × this; health p99 ${health.latency.p99} ms`,
      },
      {
        name: `work-orders ${d}: loopback ceiling, bare node:http answering {}, 200 connections`,
        value: Math.round(empty.requests.average),
        unit: 'req/s',
        ratioTo: `work-orders ${d}: bare multi-row INSERT`,
        ratio: empty.requests.average / bare,
        note: `no framework, no database: what this machine and load generator allow; p99 ${empty.latency.p99} ms`,
      },
      {
        name: `work-orders ${d}: intake p99 latency`,
        value: result.latency.p99,
        unit: 'ms',
        note: `p50 ${result.latency.p50} ms, 20 s`,
      },
    ];
  } finally {
    await app.close();
  }
}
