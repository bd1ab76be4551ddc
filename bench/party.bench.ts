import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { openAppContext } from '../src/domains.js';
import { seedDemoParty } from '../src/modules/demo/party.js';
import { seededRandom } from '../src/modules/demo/random.js';
import { generateDemoDistrict } from '../src/modules/org/demo.js';
import { passbookLines } from '../src/modules/party/ledger.js';
import { memberRanking } from '../src/modules/party/rankings.js';
import { loadConfig } from '../src/platform/config.js';
import type { AppContext } from '../src/platform/context.js';
import { rowsOf } from '../src/platform/db/index.js';
import { freshDatabase } from './lib/fresh-database.js';
import type { Bench, BenchRow } from './lib/types.js';

/** Members of the demo district (the 17,000); BENCH_PARTY_MEMBERS scales it. */
const members = Number(process.env.BENCH_PARTY_MEMBERS ?? 17_000);
const box = { minLng: 109.82, minLat: 39.72, maxLng: 110.08, maxLat: 39.9 };

/**
 * Party points at district scale: the demo's party seed over `members` members (a year of monthly
 * entries, three quarters in the passbooks), then one street's quarterly ranking and one member's
 * passbook through the module's functions against the same query written by hand, same run.
 */
export const bench: Bench = {
  name: 'party',
  async run() {
    const rows = process.env.BENCH_ONLY === 'postgres' ? [] : await measure(undefined);
    const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
    if (url) rows.push(...(await measure(url)));
    return rows;
  },
};

async function measure(serverUrl: string | undefined): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'grassroots-bench-party-'));
  const fresh = serverUrl ? await freshDatabase(serverUrl, 'party') : null;
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const ctx = await openAppContext(
    loadConfig({
      ...env,
      ...(fresh ? { DATABASE_URL: fresh.url } : {}),
      DATA_DIR: dir,
      LOG_LEVEL: 'silent',
      GRASSROOTS_DEMO: '0',
    }),
  );
  const d = ctx.database.driver;
  try {
    const district = await ctx.db.transaction((tx) =>
      generateDemoDistrict(tx, {
        districtCode: '150602',
        box,
        basicGrids: 684,
        exclusiveGrids: 125,
        buildingsPerGrid: 1,
        random: seededRandom(150602),
      }),
    );
    const t0 = performance.now();
    await registerPartyMembers(ctx, district.district.path, members * 2);
    await seedDemoParty(
      ctx,
      { districtId: district.district.id, districtPath: district.district.path, places: [] },
      () => {},
    );
    const [n] = rowsOf<{ members: number; entries: number; lines: number }>(
      await ctx.db.execute(sql`select (select count(*) from party_member)::int as members,
        (select count(*) from points_entry)::int as entries, (select count(*) from points_ledger)::int as lines`),
    );
    const rows: BenchRow[] = [
      {
        name: `party ${d}: seed members, a year of entries, passbooks`,
        value: +((performance.now() - t0) / 1000).toFixed(1),
        unit: 's',
        note: `${n.members} members, ${n.entries} entries, ${n.lines} ledger lines`,
      },
    ];
    rows.push(...(await rankingTimes(ctx, d)));
    rows.push(...(await passbookTimes(ctx, d)));
    return rows;
  } finally {
    await ctx.jobs.stop();
    await ctx.database.close();
    await fresh?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `count` people on the register marked 中共党员, spread over the district's grids (the party seed takes every other). */
async function registerPartyMembers(ctx: AppContext, path: string, count: number) {
  await ctx.db.execute(sql`insert into resident (id, name, name_initials, gender, birth_date, ethnicity,
      id_number_cipher, id_number_index, residence_status, political_status, grid_id, org_path, district_code)
    select gen_random_uuid(), '党员' || g, 'dy', case when g % 2 = 0 then 'male' else 'female' end, date '1975-01-01',
      '01', 'bench', 'bench-' || g, 'registered', 'partyMember', gr.id, gr.path, '150602'
    from generate_series(1, ${count}) g
      join (select id, path, row_number() over (order by code) - 1 as k, count(*) over () as n
            from org_unit where kind = 'grid' and path <@ ${path}::ltree) gr on gr.k = g % gr.n`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.99) - 1];

async function time(fn: () => Promise<unknown>, runs: number): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function rankingTimes(ctx: AppContext, d: string): Promise<BenchRow[]> {
  const [street] = rowsOf<{ path: string; quarter: string }>(
    await ctx.db.execute(sql`select o.org_path::text as path, (select max(quarter) from points_quarter where status = 'final') as quarter
      from party_org o join party_member m on m.org_path <@ o.org_path
      where o.kind = 'workCommittee' group by o.org_path order by count(*) desc limit 1`),
  );
  const ours = await time(() => memberRanking(ctx.db, street.path, street.quarter, sql`true`, 1, 50), 20);
  const hand = await time(
    () =>
      ctx.db.execute(sql`select e.member_id, r.name, sum(e.points) as points,
          rank() over (order by sum(e.points) desc) as rank
        from points_entry e join party_member m on m.id = e.member_id join resident r on r.id = m.resident_id
        where e.party_org_id in (select id from party_org where org_path <@ ${street.path}::ltree)
          and e.quarter = ${street.quarter} and e.status = 'confirmed'
        group by e.member_id, r.name order by points desc limit 50`),
    20,
  );
  const name = `party ${d}: one street's quarterly ranking (top 50), hand SQL`;
  return [
    { name, value: +median(hand).toFixed(2), unit: 'ms' },
    {
      name: `party ${d}: one street's quarterly ranking (top 50), rankings()`,
      value: +median(ours).toFixed(2),
      unit: 'ms',
      ratioTo: name,
      ratio: +(median(ours) / median(hand)).toFixed(2),
    },
  ];
}

async function passbookTimes(ctx: AppContext, d: string): Promise<BenchRow[]> {
  const ids = rowsOf<{ id: string }>(
    await ctx.db.execute(
      sql`select member_id as id from points_balance where balance > 0 order by member_id limit 200`,
    ),
  ).map((r) => r.id);
  let i = 0;
  const ours = await time(() => passbookLines(ctx.db, ids[i++ % ids.length], 1, 20), 500);
  const hand = await time(
    () =>
      // the same page by hand: the lines with the balance after each and the count of all
      ctx.db.execute(sql`select id, kind, amount, memo, quarter_id, entry_id, redemption_id, created_at,
          sum(amount) over (order by created_at, id) as balance_after, count(*) over () as total
        from points_ledger where account_id = ${ids[i++ % ids.length]}::uuid and account = 'member'
        order by created_at desc, id desc limit 20`),
    500,
  );
  const name = `party ${d}: one member's passbook (20 lines), hand SQL`;
  return [
    { name, value: +median(hand).toFixed(2), unit: 'ms' },
    {
      name: `party ${d}: one member's passbook (20 lines), passbookLines()`,
      value: +median(ours).toFixed(2),
      unit: 'ms',
      ratioTo: name,
      ratio: +(median(ours) / median(hand)).toFixed(2),
    },
    {
      name: `party ${d}: passbook p99`,
      value: +p99(ours).toFixed(2),
      unit: 'ms',
      note: '500 reads over 200 members',
    },
  ];
}
