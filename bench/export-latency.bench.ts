import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoPassword } from '../src/modules/demo/accounts.js';
import { e2eEnv, startServer } from '../test/e2e/harness.js';
import type { Bench, BenchRow } from './lib/types.js';

/**
 * Interactive latency while a long job runs on the embedded database (issue 15): the real server on
 * the seeded demo (20,000 residents), the district exports every resident, and meanwhile one client
 * lists residents page after page. Reports the list's p50/p99/max alone and during the export, and
 * the export's own time. `BENCH_SEED_DIR` reuses a seeded data directory (it is copied, not changed).
 */
const listUrl = '/api/residents?page=1&pageSize=20';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

async function timedGet(url: string, token: string) {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return performance.now() - t0;
}

export const bench: Bench = {
  name: 'export-latency',
  async run() {
    let seed = process.env.BENCH_SEED_DIR;
    const own = !seed;
    if (!seed) {
      seed = mkdtempSync(join(tmpdir(), 'grassroots-bench-export-'));
      execFileSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'seed', 'demo'], {
        env: { ...process.env, ...e2eEnv(seed) },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    }
    const server = await startServer(seed);
    try {
      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'district', password: demoPassword }),
      });
      const { token } = (await login.json()) as { token: string };
      for (let i = 0; i < 20; i++) await timedGet(`${server.url}${listUrl}`, token); // warm up
      const alone: number[] = [];
      for (let i = 0; i < 100; i++) alone.push(await timedGet(`${server.url}${listUrl}`, token));

      const started = performance.now();
      const enqueue = await fetch(`${server.url}/api/residents/exports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      const { jobId } = (await enqueue.json()) as { jobId: string };
      const during: number[] = [];
      let job: { status: string; result?: { rows?: number } } = { status: 'queued' };
      while (job.status === 'queued' || job.status === 'running') {
        const ms = await timedGet(`${server.url}${listUrl}`, token);
        during.push(ms);
        if (process.env.BENCH_VERBOSE)
          process.stderr.write(
            `${((performance.now() - started) / 1000).toFixed(1)} s: ${ms.toFixed(0)} ms\n`,
          );
        const res = await fetch(`${server.url}/api/jobs/${jobId}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        job = (await res.json()) as typeof job;
      }
      const exportMs = performance.now() - started;
      if (job.status !== 'succeeded') throw new Error(`export ended ${job.status}`);
      const note = `${job.result?.rows} residents; ${during.length} list requests during it; load ${loadavg()[0].toFixed(1)}`;
      const row = (name: string, value: number, unit = 'ms'): BenchRow => ({
        name: `export-latency: ${name}`,
        value: Math.round(value * 10) / 10,
        unit,
        note,
      });
      return [
        row('list p50 alone', quantile(alone, 0.5)),
        row('list p99 alone', quantile(alone, 0.99)),
        row('list p50 during export', quantile(during, 0.5)),
        row('list p99 during export', quantile(during, 0.99)),
        row('list max during export', Math.max(...during)),
        row('export of all residents', exportMs / 1000, 's'),
      ];
    } finally {
      await server.stop();
      if (own) rmSync(seed, { recursive: true, force: true });
    }
  },
};
