import { openAppContext } from '../../src/domains.js';
import { importResidents } from '../../src/modules/people/import.js';
import { loadConfig } from '../../src/platform/config.js';
import { systemCaller } from '../../src/platform/context.js';

/**
 * Child process of the people and register benches: opens the database in DATA_DIR (or at the
 * PostgreSQL URL given third), samples its own memory while
 * idle and then while importing the workbook, and prints {idle, peak, seconds, result}. RSS is
 * split into the JS heap (heapUsed), Node's Buffers (arrayBuffers) and PGlite's WebAssembly linear
 * memory (wasm: its size, which grows and never shrinks).
 */
const [dataDir, file, databaseUrl] = process.argv.slice(2);
const { DATABASE_URL: _ignored, ...env } = process.env;
const ctx = await openAppContext(
  loadConfig({
    ...env,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  }),
);
await new Promise((r) => setTimeout(r, 1000));
global.gc?.();
const sample = () => {
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    arrayBuffers: m.arrayBuffers,
    wasm:
      (ctx.database.pglite as unknown as { mod?: { HEAPU8?: Uint8Array } } | undefined)?.mod?.HEAPU8
        ?.byteLength ?? 0,
  };
};
const idle = sample();
const peak = { ...idle };
const take = () => {
  const m = sample();
  for (const k of Object.keys(peak) as (keyof typeof peak)[]) peak[k] = Math.max(peak[k], m[k]);
};
const timer = setInterval(take, 50);
const t0 = performance.now();
const timings: Record<string, number> = {};
const result = await importResidents(ctx, systemCaller, file, { onProgress: take, timings });
const seconds = (performance.now() - t0) / 1000;
clearInterval(timer);
take();
await ctx.jobs.stop();
await ctx.database.close();
process.stdout.write(
  JSON.stringify({
    idle,
    peak,
    idleRss: idle.rss,
    peakRss: peak.rss,
    seconds,
    timings,
    result: { ...result, errors: result.errors.slice(0, 5) },
  }),
);
process.exit(0);
