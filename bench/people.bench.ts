import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { and, eq, sql } from 'drizzle-orm';
import { openAppContext } from '../src/domains.js';
import { seedDemoOrg } from '../src/modules/demo/org.js';
import { seedDemoPeople } from '../src/modules/demo/people.js';
import { orgUnit } from '../src/modules/org/schema.js';
import { importResidents } from '../src/modules/people/import.js';
import { listResidents, type ResidentQuery } from '../src/modules/people/residents-query.js';
import { loadConfig } from '../src/platform/config.js';
import { type Caller, systemCaller } from '../src/platform/context.js';
import { rowsOf } from '../src/platform/db/index.js';
import { newId } from '../src/platform/ids.js';
import { bareInsertRate, reinsertRate } from './lib/baseline.js';
import { freshDatabase } from './lib/fresh-database.js';
import { writeResidentWorkbook } from './lib/people-workbook.js';
import type { Bench, BenchRow } from './lib/types.js';

/**
 * The people register on PGlite: importing a 100,000-row workbook (rows/s, against a bare multi-row
 * INSERT of the same rows with every index, and of a four-column table), 100k people in households,
 * the importing process's RSS growth for 100k and 400k rows
 * (a child process sampling itself), `seed demo --scale full` (580,800 residents), and list /
 * search latency at that scale. PEOPLE_BENCH_SKIP_FULL=1 leaves out the full-scale part.
 * PEOPLE_BENCH_FULL_DIR=<dir> measures the lists on a copy of a data directory already seeded at
 * full scale (`DATA_DIR=<dir> npm run cli -- seed demo --scale full`), without seeding again.
 */
const admin: Caller = {
  ...systemCaller,
  user: {
    id: newId(),
    username: 'bench',
    displayName: 'bench',
    kind: 'staff',
    assignments: [{ id: newId(), role: 'systemAdmin', orgUnitId: null, orgPath: null, orgName: null }],
    actingAssignmentId: null,
    sessionId: '',
  },
};
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
/** The import's phases in seconds of wall time (and CPU), for the note. */
const phases = (t: Record<string, number>) =>
  Object.entries(t)
    .filter(([k, v]) => !k.endsWith('Cpu') && v >= 100)
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s (CPU ${((t[`${k}Cpu`] ?? 0) / 1000).toFixed(1)})`)
    .join(', ');

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function openAt(dir: string) {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  return openAppContext(loadConfig({ ...env, DATA_DIR: dir, LOG_LEVEL: 'silent' }));
}

/**
 * The import's rate against the bare multi-row INSERT of the same rows (its houses and residents,
 * read back and inserted again, 1,000 per statement, with every index) — the database's own limit
 * for what the import writes — and against the foundation's bare INSERT of a four-column table.
 */
function importRows(db: string, rate: number, bare: number, same: number, note: string): BenchRow[] {
  const sameName = `${db}: bare multi-row INSERT of the same rows (houses, residents; people bench)`;
  return [
    { name: `${db}: bare multi-row INSERT (people bench)`, value: Math.round(bare), unit: 'rows/s' },
    { name: sameName, value: Math.round(same), unit: 'rows/s' },
    {
      name: `resident import, 100k-row xlsx (${db})`,
      value: Math.round(rate),
      unit: 'rows/s',
      ratioTo: sameName,
      ratio: rate / same,
      note: `${(rate / bare).toFixed(3)}× the four-column bare INSERT; ${note}`,
    },
  ];
}

/** A register as it is: 100k people in households of 1–5 sharing a room (户号, 与户主关系), on a fresh copy. */
async function importHouseholds(orgDir: string, base: string, book: string): Promise<BenchRow> {
  const dir = join(base, 'import-households');
  cpSync(orgDir, dir, { recursive: true });
  const ctx = await openAt(dir);
  try {
    const t0 = performance.now();
    const timings: Record<string, number> = {};
    const result = await importResidents(ctx, admin, book, { timings });
    const seconds = (performance.now() - t0) / 1000;
    if (result.imported !== 100_000) throw new Error(`import: ${JSON.stringify(result).slice(0, 500)}`);
    return {
      name: 'resident import, 100k rows in households of 1–5 (PGlite)',
      value: Math.round(100_000 / seconds),
      unit: 'rows/s',
      note: `${seconds.toFixed(1)} s, ${result.householdsCreated} households; ${phases(timings)}`,
    };
  } finally {
    await ctx.jobs.stop();
    await ctx.database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same 100k import on PostgreSQL (a fresh database with the same district), and its bare INSERT. */
async function importOnPostgres(serverUrl: string, base: string, book: string): Promise<BenchRow[]> {
  const fresh = await freshDatabase(serverUrl, 'people');
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const ctx = await openAppContext(
    loadConfig({ ...env, DATABASE_URL: fresh.url, DATA_DIR: join(base, 'pg'), LOG_LEVEL: 'silent' }),
  );
  try {
    await seedDemoOrg(ctx, () => {});
    const t0 = performance.now();
    const timings: Record<string, number> = {};
    const result = await importResidents(ctx, admin, book, { timings });
    const seconds = (performance.now() - t0) / 1000;
    if (result.imported !== 100_000) throw new Error(`import: ${JSON.stringify(result).slice(0, 500)}`);
    const bare = await bareInsertRate(ctx.database, 100_000);
    const same = await reinsertRate(ctx.database, ['house', 'resident']);
    return importRows(
      'PostgreSQL',
      100_000 / seconds,
      bare,
      same,
      `${seconds.toFixed(1)} s; ${phases(timings)}`,
    );
  } finally {
    await ctx.jobs.stop();
    await ctx.database.close();
    await fresh.drop();
  }
}

export const bench: Bench = {
  name: 'people',
  async run() {
    const out: BenchRow[] = [];
    // Each figure is printed as soon as it is measured: the full-scale part takes minutes.
    const push = out.push.bind(out);
    out.push = (...rows: BenchRow[]) => {
      for (const r of rows)
        process.stderr.write(`  ${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}\n`);
      return push(...rows);
    };
    const base = mkdtempSync(join(tmpdir(), 'grassroots-bench-people-'));
    const orgDir = join(base, 'org');
    try {
      const prebuilt = process.env.PEOPLE_BENCH_FULL_DIR;
      // The district's places only (no people), kept as a template for each measurement.
      const onlyFull = !!process.env.PEOPLE_BENCH_ONLY_FULL || !!prebuilt;
      const book100 = join(base, 'residents-100k.xlsx');
      const book400 = join(base, 'residents-400k.xlsx');
      const bookHouseholds = join(base, 'residents-100k-households.xlsx');
      let t0 = performance.now();
      let ctx: Awaited<ReturnType<typeof openAt>>;
      if (!prebuilt) {
        ctx = await openAt(orgDir);
        await seedDemoOrg(ctx, () => {});
        if (!onlyFull) {
          await writeResidentWorkbook(ctx.db, book100, 100_000);
          await writeResidentWorkbook(ctx.db, bookHouseholds, 100_000, { households: true });
        }
        process.stderr.write(
          `  workbooks of 100k written in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
        );
        if (!process.env.PEOPLE_BENCH_SKIP_400K && !onlyFull)
          await writeResidentWorkbook(ctx.db, book400, 400_000);
        await ctx.jobs.stop();
        await ctx.database.close();
      }

      if (!onlyFull) {
        // Import in this process on a copy, then the bare INSERT of as many rows on the same database.
        const importDir = join(base, 'import');
        cpSync(orgDir, importDir, { recursive: true });
        ctx = await openAt(importDir);
        t0 = performance.now();
        const timings: Record<string, number> = {};
        const result = await importResidents(ctx, admin, book100, { timings });
        const seconds = (performance.now() - t0) / 1000;
        if (result.imported !== 100_000) throw new Error(`import: ${JSON.stringify(result).slice(0, 500)}`);
        const rate = 100_000 / seconds;
        const bare = await bareInsertRate(ctx.database, 100_000);
        const note = `${seconds.toFixed(1)} s, houses created as found; ${phases(timings)}`;
        t0 = performance.now();
        const again = await importResidents(ctx, admin, book100);
        out.push({
          name: 'resident re-import, same 100k rows unchanged (PGlite)',
          value: Math.round(100_000 / ((performance.now() - t0) / 1000)),
          unit: 'rows/s',
          note: `unchanged ${again.unchanged}`,
        });
        // Last: it deletes the imported rows to insert them again.
        out.push(
          ...importRows('PGlite', rate, bare, await reinsertRate(ctx.database, ['house', 'resident']), note),
        );
        await ctx.jobs.stop();
        await ctx.database.close();
        rmSync(importDir, { recursive: true, force: true });
        out.push(await importHouseholds(orgDir, base, bookHouseholds));
        const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
        if (serverUrl) out.push(...(await importOnPostgres(serverUrl, base, book100)));

        // Memory: a child process per size, on a fresh copy each.
        for (const [label, book] of [
          ['100k', book100],
          ...(process.env.PEOPLE_BENCH_SKIP_400K ? [] : ([['400k', book400]] as const)),
        ] as const) {
          const dir = join(base, `rss-${label}`);
          cpSync(orgDir, dir, { recursive: true });
          const raw = execFileSync(
            process.execPath,
            ['--expose-gc', '--import', 'tsx', 'bench/lib/people-import-child.ts', dir, book],
            { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LOG_LEVEL: 'silent' } },
          );
          const m = JSON.parse(raw);
          out.push({
            name: `resident import ${label}: RSS growth over idle (PGlite)`,
            value: mb(m.peakRss - m.idleRss),
            unit: 'MB',
            note: `idle ${mb(m.idleRss)} MB, peak ${mb(m.peakRss)} MB; JS heap ${mb(m.idle.heapUsed)} → peak ${mb(m.peak.heapUsed)} MB, Buffers ${mb(m.idle.arrayBuffers)} → ${mb(m.peak.arrayBuffers)} MB, PGlite WASM memory ${mb(m.idle.wasm)} → ${mb(m.peak.wasm)} MB; ${m.seconds.toFixed(1)} s (${Math.round(m.result.imported / m.seconds)} rows/s), ${m.result.imported} imported`,
          });
          rmSync(dir, { recursive: true, force: true });
        }
      }
      if (process.env.PEOPLE_BENCH_SKIP_FULL) return out;
      // Full scale: the demo's 580,800 residents, then list and search latency.
      const fullDir = join(base, 'full');
      cpSync(prebuilt ?? orgDir, fullDir, { recursive: true });
      ctx = await openAt(fullDir);
      const [district] = await ctx.db.select().from(orgUnit).where(eq(orgUnit.code, '150602'));
      if (!prebuilt) {
        t0 = performance.now();
        const cpu = process.cpuUsage();
        const seeded = await seedDemoPeople(ctx, { districtPath: district.path }, 'full', (m) =>
          process.stderr.write(`  ${m}\n`),
        );
        const used = process.cpuUsage(cpu);
        out.push({
          name: 'seed demo --scale full: residents (PGlite)',
          value: +((performance.now() - t0) / 1000).toFixed(1),
          unit: 's',
          note: `${seeded.created} residents with houses, households and members; CPU ${((used.user + used.system) / 1e6).toFixed(0)} s`,
        });
      }
      const [community] = await ctx.db
        .select()
        .from(orgUnit)
        .where(and(eq(orgUnit.kind, 'community'), sql`${orgUnit.path} <@ ${district.path}::ltree`))
        .limit(1);
      const [someone] = rowsOf<{ c: string }>(
        await ctx.db.execute(
          sql`select id_number_cipher as c from resident order by id limit 1 offset 12345`,
        ),
      );
      const idNumber = ctx.pii.decrypt(someone.c);
      const cases: [string, Partial<ResidentQuery>][] = [
        ['name substring 王', { q: '王' }],
        ['name substring 建军', { q: '建军' }],
        ['pinyin initials wj', { q: 'wj' }],
        ['exact ID number', { idNumber }],
        ['tag veteran', { tag: 'veteran' }],
        ['subtree: one community', { orgUnitId: community.id }],
        ['whole district, first page', {}],
        ['whole district sorted by name', { sort: 'name', order: 'asc' }],
      ];
      for (const [label, filter] of cases) {
        const times: number[] = [];
        for (let i = 0; i < 25; i++) {
          const t = performance.now();
          await listResidents(ctx, admin, { page: 1 + (i % 3), pageSize: 20, ...filter });
          times.push(performance.now() - t);
        }
        out.push({
          name: `resident list at 580k, ${label}: p50 (PGlite)`,
          value: Math.round(pct(times, 50)),
          unit: 'ms',
        });
        out.push({
          name: `resident list at 580k, ${label}: p99 (PGlite)`,
          value: Math.round(pct(times, 99)),
          unit: 'ms',
        });
      }
      await ctx.jobs.stop();
      await ctx.database.close();
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
    return out;
  },
};
