import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { buildApp } from '../src/app.js';
import { openAppContext } from '../src/domains.js';
import { loadConfig } from '../src/platform/config.js';
import type { Bench } from './lib/types.js';

/** GET /api/health (one real database round trip) against a listening server on loopback. */
export const bench: Bench = {
  name: 'health',
  async run() {
    const rows = await measure(undefined);
    if (process.env.DATABASE_URL) rows.push(...(await measure(process.env.DATABASE_URL)));
    return rows;
  },
};

async function measure(databaseUrl: string | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'grassroots-bench-'));
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const config = loadConfig({
    ...env,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    GRASSROOTS_DEMO: '0',
  });
  const ctx = await openAppContext(config);
  const app = await buildApp(ctx, { logger: false });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const result = await autocannon({ url: `${url}/api/health`, connections: 50, duration: 10 });
  await app.close();
  await ctx.database.close();
  rmSync(dir, { recursive: true, force: true });
  return [
    {
      name: `health (${ctx.database.driver}): requests/s`,
      value: Math.round(result.requests.average),
      unit: 'req/s',
    },
    {
      name: `health (${ctx.database.driver}): p99 latency`,
      value: result.latency.p99,
      unit: 'ms',
      note: '50 connections, 10 s',
    },
  ];
}
