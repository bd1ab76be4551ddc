import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { openAppContext } from '../src/domains.js';
import { seededRandom } from '../src/modules/demo/random.js';
import { generateDemoDistrict } from '../src/modules/org/demo.js';
import { importDivisions } from '../src/modules/org/divisions.js';
import { gridIndexFor } from '../src/modules/org/locate.js';
import { countsUnder } from '../src/modules/org/stats.js';
import { loadConfig } from '../src/platform/config.js';
import { rowsOf } from '../src/platform/db/index.js';
import type { Bench, BenchRow } from './lib/types.js';

const box = { minLng: 109.82, minLat: 39.72, maxLng: 110.08, maxLat: 39.9 };

/**
 * The org tree at region scale on PGlite: importing Inner Mongolia's divisions (province 15),
 * locating points among Dongsheng's 809 grids, and counting a district's subtree through the
 * module's helper against the same count in hand-written SQL.
 */
export const bench: Bench = {
  name: 'org',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'grassroots-bench-org-'));
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const ctx = await openAppContext(loadConfig({ ...env, DATA_DIR: dir, LOG_LEVEL: 'silent' }));
    const rows: BenchRow[] = [];
    try {
      let t0 = performance.now();
      const imported = await importDivisions(ctx.db, { province: '15' });
      rows.push({
        name: 'division import, province 15 (PGlite)',
        value: +((performance.now() - t0) / 1000).toFixed(2),
        unit: 's',
        note: `${imported.created} units, ${imported.byKind.community} village-level`,
      });
      t0 = performance.now();
      const again = await importDivisions(ctx.db, { province: '15' });
      rows.push({
        name: 'division import, province 15, second run (no changes)',
        value: +((performance.now() - t0) / 1000).toFixed(2),
        unit: 's',
        note: `${again.unchanged} unchanged, ${again.created} created`,
      });

      await ctx.db.transaction((tx) =>
        generateDemoDistrict(tx, {
          districtCode: '150602',
          box,
          basicGrids: 684,
          exclusiveGrids: 125,
          buildingsPerGrid: 4,
          random: seededRandom(150602),
        }),
      );
      rows.push(...locateRates(await readyIndex(ctx.db)));
      rows.push(...(await subtreeCounts(ctx.db)));
    } finally {
      await ctx.database.close();
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};

async function readyIndex(db: Parameters<typeof gridIndexFor>[0]) {
  const index = gridIndexFor(db);
  await index.ready();
  return index;
}

function locateRates(index: Awaited<ReturnType<typeof readyIndex>>): BenchRow[] {
  const random = seededRandom(42);
  const n = 2_000_000;
  const points = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    points[2 * i] = box.minLng + random.next() * (box.maxLng - box.minLng);
    points[2 * i + 1] = box.minLat + random.next() * (box.maxLat - box.minLat);
  }
  for (let i = 0; i < 50_000; i++) index.locateSync(points[2 * i], points[2 * i + 1]); // warm up
  let hits = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) if (index.locateSync(points[2 * i], points[2 * i + 1])) hits++;
  const seconds = (performance.now() - t0) / 1000;
  return [
    {
      name: `locate: point-in-grid lookups over ${index.size} grids`,
      value: Math.round(n / seconds),
      unit: 'lookups/s',
      note: `${n.toLocaleString('en')} random points in the district box, ${((hits / n) * 100).toFixed(1)} % inside a grid`,
    },
  ];
}

async function subtreeCounts(db: Parameters<typeof countsUnder>[0]): Promise<BenchRow[]> {
  const [district] = rowsOf<{ path: string }>(
    await db.execute(sql`select path::text as path from org_unit where code = '150602'`),
  );
  const time = async (fn: () => Promise<unknown>, times = 200) => {
    for (let i = 0; i < 20; i++) await fn();
    const t0 = performance.now();
    for (let i = 0; i < times; i++) await fn();
    return (performance.now() - t0) / times;
  };
  const helper = await time(() => countsUnder(db, district.path));
  const bare = await time(() =>
    // The same count as the helper makes (kinds, and grids by type), written out by hand.
    db.execute(sql`select kind, case when kind = 'grid' then subtype end, count(*) from org_unit
      where path <@ ${district.path}::ltree and path <> ${district.path}::ltree and deleted_at is null
      group by 1, 2`),
  );
  const [total] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from org_unit`));
  return [
    {
      name: 'subtree count under Dongsheng: hand-written SQL',
      value: +bare.toFixed(2),
      unit: 'ms',
      note: `${total.n.toLocaleString('en')} org units in the table (region imported + demo grids and buildings)`,
    },
    {
      name: 'subtree count under Dongsheng: countsUnder()',
      value: +helper.toFixed(2),
      unit: 'ms',
      ratioTo: 'subtree count under Dongsheng: hand-written SQL',
      ratio: helper / bare,
    },
  ];
}
