import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openAppContext } from '../src/domains.js';
import { seedDemoOrg } from '../src/modules/demo/org.js';
import { loadConfig } from '../src/platform/config.js';
import { rowsOf } from '../src/platform/db/index.js';
import { bareInsertRate, reinsertRate } from './lib/baseline.js';
import { freshDatabase } from './lib/fresh-database.js';
import { writeRegisterWorkbook } from './lib/register-workbook.js';
import type { Bench, BenchRow } from './lib/types.js';

/**
 * Issue 16's register: a 100,000-row community register without 户号 or codes (households of 1–5,
 * placed by 现住址 only) imported in a child process that samples its own RSS, then, on the same
 * database in the same run, the bare multi-row INSERT of the same rows (the houses, residents,
 * households, memberships and household moves the import wrote, read back, deleted and inserted
 * again 1,000 a statement with every index) and the four-column bare INSERT. On PGlite, and on
 * PostgreSQL with BENCH_DATABASE_URL (or DATABASE_URL); BENCH_ONLY=pglite|postgres runs one of them.
 * REGISTER_BENCH_ROWS changes the size.
 */
const tables = ['house', 'resident', 'household', 'household_member', 'household_move'];
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const phases = (t: Record<string, number>) =>
  Object.entries(t)
    .filter(([k, v]) => !k.endsWith('Cpu') && v >= 100)
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
    .join(', ');

function envFor(dir: string, url?: string) {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  return loadConfig({ ...env, DATA_DIR: dir, LOG_LEVEL: 'silent', ...(url ? { DATABASE_URL: url } : {}) });
}

/** The import in a child process (its own RSS), then the same rows' bare INSERT on that database. */
async function measure(
  db: string,
  dir: string,
  book: string,
  rows: number,
  url?: string,
): Promise<BenchRow[]> {
  const raw = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'bench/lib/people-import-child.ts', dir, book, ...(url ? [url] : [])],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LOG_LEVEL: 'silent' } },
  );
  const m = JSON.parse(raw);
  const r = m.result;
  if (r.imported !== rows || r.rejected || !r.written)
    throw new Error(`register import on ${db}: ${JSON.stringify(r).slice(0, 800)}`);
  const ctx = await openAppContext(envFor(dir, url));
  try {
    const [written] = rowsOf<Record<string, number>>(
      await ctx.db.execute(
        sql.raw(`select ${tables.map((t) => `(select count(*)::int from ${t}) as ${t}`).join(', ')}`),
      ),
    );
    const bare = await bareInsertRate(ctx.database, 100_000);
    const same = await reinsertRate(ctx.database, tables, 1000, 'resident');
    const rate = rows / m.seconds;
    const sameName = `${db}: bare multi-row INSERT of the same rows (register bench)`;
    const k = `${Math.round(rows / 1000)}k`;
    return [
      {
        name: sameName,
        value: Math.round(same),
        unit: 'rows/s',
        note: `residents per second; ${tables.map((t) => `${t} ${written[t]}`).join(', ')}, every index`,
      },
      {
        name: `register import by address, ${k} rows (${db})`,
        value: Math.round(rate),
        unit: 'rows/s',
        ratioTo: sameName,
        ratio: rate / same,
        note: `${m.seconds.toFixed(1)} s; ${r.householdsCreated} households, placed by address ${r.placedByAddress}; ${(rate / bare).toFixed(3)}× the four-column bare INSERT (${Math.round(bare)} rows/s); ${phases(m.timings)}`,
      },
      {
        name: `register import ${k}: peak RSS (${db})`,
        value: mb(m.peakRss),
        unit: 'MB',
        note: `growth +${mb(m.peakRss - m.idleRss)} MB over idle ${mb(m.idleRss)} MB (the importing Node process${url ? '; the PostgreSQL server is apart' : ', PGlite inside it'}); JS heap peak ${mb(m.peak.heapUsed)} MB`,
      },
    ];
  } finally {
    await ctx.jobs.stop();
    await ctx.database.close();
  }
}

export const bench: Bench = {
  name: 'register',
  async run() {
    const rows = Number(process.env.REGISTER_BENCH_ROWS ?? 100_000);
    const out: BenchRow[] = [];
    const say = (list: BenchRow[]) => {
      for (const r of list)
        process.stderr.write(`  ${r.name}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}\n`);
      out.push(...list);
    };
    const base = mkdtempSync(join(tmpdir(), 'grassroots-bench-register-'));
    try {
      const orgDir = join(base, 'org');
      const book = join(base, 'register.xlsx');
      const ctx = await openAppContext(envFor(orgDir));
      await seedDemoOrg(ctx, () => {});
      await writeRegisterWorkbook(ctx.db, book, rows);
      await ctx.jobs.stop();
      await ctx.database.close();
      if (process.env.BENCH_ONLY !== 'postgres') {
        const dir = join(base, 'pglite');
        cpSync(orgDir, dir, { recursive: true });
        say(await measure('PGlite', dir, book, rows));
        rmSync(dir, { recursive: true, force: true });
      }
      const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
      if (serverUrl && process.env.BENCH_ONLY !== 'pglite') {
        const fresh = await freshDatabase(serverUrl, 'register');
        try {
          const pg = await openAppContext(envFor(join(base, 'pg'), fresh.url));
          await seedDemoOrg(pg, () => {});
          await pg.jobs.stop();
          await pg.database.close();
          say(await measure('PostgreSQL', join(base, 'pg'), book, rows, fresh.url));
        } finally {
          await fresh.drop();
        }
      }
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
    return out;
  },
};
