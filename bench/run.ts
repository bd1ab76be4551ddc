import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bench, BenchRow } from './lib/types.js';

/**
 * Runs every `bench/*.bench.ts` (or those named on the command line), prints one table, and
 * merges the rows into bench/results.json by name. Speed is reported as rates and as ratios to
 * the bare database measured in the same run, never asserted in tests.
 */
const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

const rows: (BenchRow & { bench: string })[] = [];
for (const file of files) {
  const mod = (await import(`./${file}`)) as { bench: Bench };
  process.stderr.write(`running ${mod.bench.name}…\n`);
  for (const row of await mod.bench.run()) rows.push({ ...row, bench: mod.bench.name });
}

console.table(
  rows.map((r) => ({
    bench: r.bench,
    measure: r.name,
    value: r.value,
    unit: r.unit,
    ratio: r.ratio !== undefined ? `${r.ratio.toFixed(2)} × ${r.ratioTo}` : '',
    note: r.note ?? '',
  })),
);

const resultsFile = `${dir}results.json`;
const previous: Record<string, unknown> = existsSync(resultsFile)
  ? JSON.parse(readFileSync(resultsFile, 'utf8'))
  : {};
const measuredAt = new Date().toISOString();
for (const r of rows) previous[r.name] = { ...r, measuredAt };
writeFileSync(resultsFile, `${JSON.stringify(previous, null, 2)}\n`);
process.exit(0);
