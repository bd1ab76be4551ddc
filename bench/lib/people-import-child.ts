import { importResidents } from '../../src/modules/people/import.js';
import { openContext } from '../../src/platform/bootstrap.js';
import { loadConfig } from '../../src/platform/config.js';
import { systemCaller } from '../../src/platform/context.js';

/**
 * Child process of the people bench: opens the database in DATA_DIR, samples its own RSS while
 * idle and then while importing the workbook, and prints {idleRss, peakRss, seconds, result}.
 */
const [dataDir, file] = process.argv.slice(2);
const { DATABASE_URL: _ignored, ...env } = process.env;
const ctx = await openContext(loadConfig({ ...env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
await new Promise((r) => setTimeout(r, 1000));
global.gc?.();
const idleRss = process.memoryUsage().rss;
let peakRss = idleRss;
const timer = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
const t0 = performance.now();
const result = await importResidents(ctx, systemCaller, file, {
  onProgress: () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  },
});
const seconds = (performance.now() - t0) / 1000;
clearInterval(timer);
await ctx.jobs.stop();
await ctx.database.close();
process.stdout.write(
  JSON.stringify({ idleRss, peakRss, seconds, result: { ...result, errors: result.errors.slice(0, 5) } }),
);
process.exit(0);
