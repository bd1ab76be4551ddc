import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { env, exited, processAdminPassword, serve } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'grassroots-modes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every path under `root` that its group or others may read, write or enter. */
function openToOthers(root: string): string[] {
  const out: string[] = [];
  const stack = [root];
  while (stack.length) {
    const path = stack.pop()!;
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(path);
    } catch {
      continue; // PGlite removed it meanwhile
    }
    if (st.isSymbolicLink()) continue;
    if (st.mode & 0o077) out.push(`${path} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const name of readdirSync(path)) stack.push(join(path, name));
  }
  return out;
}

describe('the data directory', () => {
  it('is owner-only after start (what was open is fixed), and so is every export, deleted once downloaded', async () => {
    // A data directory as an older version (or a copy by hand) left it.
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'files', 'ab'), { recursive: true });
    chmodSync(join(dir, 'files'), 0o777);
    writeFileSync(join(dir, 'files', 'ab', 'leftover'), 'x');
    chmodSync(join(dir, 'files', 'ab', 'leftover'), 0o666);

    const server = await serve(env(dir));
    try {
      expect(openToOthers(dir)).toEqual([]);
      expect(server.output()).toContain('made owner-only');

      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: processAdminPassword }),
      });
      const headers = { authorization: `Bearer ${(await login.json()).token}` };
      const started = await fetch(`${server.url}/api/work-orders/exports`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(started.status).toBe(202);
      const { jobId } = await started.json();
      // The job runs in the server: wait for it to finish (bounded).
      const deadline = Date.now() + 120_000;
      for (;;) {
        const job = await (await fetch(`${server.url}/api/jobs/${jobId}`, { headers })).json();
        if (job.status === 'succeeded') break;
        if (job.status === 'failed' || Date.now() > deadline) throw new Error(JSON.stringify(job));
        await new Promise((r) => setTimeout(r, 200));
      }
      const exported = join(dir, 'exports', `${jobId}.out`);
      expect(lstatSync(exported).mode & 0o777).toBe(0o600);
      expect(openToOthers(dir)).toEqual([]);

      const download = await fetch(`${server.url}/api/jobs/${jobId}/download`, { headers });
      expect(download.status).toBe(200);
      await download.arrayBuffer();
      const again = await fetch(`${server.url}/api/jobs/${jobId}/download`, { headers });
      expect(again.status).toBe(410);
      expect(readdirSync(join(dir, 'exports'))).toEqual([]);
    } finally {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
  }, 300_000);
});
