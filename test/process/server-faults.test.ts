import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { roles } from '../../src/platform/auth/permissions.js';
import { cli, env, exited, processAdminPassword, serve } from './cli.js';

// These spawn the real server and CLI on PGlite data directories (the embedded default).
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'grassroots-proc-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function login(url: string, password = processAdminPassword) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  return res;
}

describe('server process', () => {
  it('keeps every acknowledged write after kill -9, and starts again', async () => {
    const dir = tempDir();
    const first = await serve(env(dir));
    // Each login writes a session and an audit event; count those the server acknowledged.
    let acknowledged = 0;
    const writes = (async () => {
      for (let i = 0; i < 200; i++) {
        const res = await login(first.url).catch(() => null);
        if (!res?.ok) break;
        acknowledged++;
      }
    })();
    await new Promise((r) => setTimeout(r, 1500));
    first.child.kill('SIGKILL');
    await writes;
    await exited(first.child);
    expect(acknowledged).toBeGreaterThan(0);

    const second = await serve(env(dir));
    const token = (await (await login(second.url)).json()).token;
    const res = await fetch(`${second.url}/api/audit-events?action=auth.login&pageSize=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await res.json();
    // All acknowledged logins before the kill, plus the one just made.
    expect(body.total).toBeGreaterThanOrEqual(acknowledged + 1);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  }, 240_000);

  it('refuses a second server on the same data directory', async () => {
    const dir = tempDir();
    const first = await serve(env(dir));
    const second = cli(['serve', '--no-build'], { ...env(dir), PORT: '0' });
    expect(second.status).not.toBe(0);
    expect(second.stderr).toContain('正被另一个进程');
    first.child.kill('SIGTERM');
    await exited(first.child);
  });

  it('stops with the variable named when the configuration is wrong', () => {
    const dir = tempDir();
    const badPort = cli(['migrate'], env(dir, { PORT: 'abc' }));
    expect(badPort.status).not.toBe(0);
    expect(badPort.stderr).toMatch(/PORT/);
    const badUrl = cli(['migrate'], env(dir, { DATABASE_URL: 'mysql://localhost/x' }));
    expect(badUrl.status).not.toBe(0);
    expect(badUrl.stderr).toMatch(/DATABASE_URL/);
  });
});

// Each command is a new process that starts Node, opens PGlite and checks its migrations; the backup
// test runs six and the demo seeds the whole demo district (its party data included): 40–50 s on an
// idle 2-core machine, so the suite's 60 s default would fail them whenever the machine is busy.
describe('command line', { timeout: 240_000 }, () => {
  it('backs up and restores a PGlite database', async () => {
    const dir = tempDir();
    expect(
      cli(
        [
          'users',
          'create',
          '--username',
          'kept',
          '--name',
          '保留',
          '--role',
          'systemAdmin',
          '--password',
          'Solid-Pass-2026x',
        ],
        env(dir),
      ).status,
    ).toBe(0);
    const file = join(dir, 'backup.tar.gz');
    const backup = cli(['backup', file], env(dir));
    expect(backup.status, backup.stderr).toBe(0);
    expect(
      cli(
        [
          'users',
          'create',
          '--username',
          'later',
          '--name',
          '之后',
          '--role',
          'systemAdmin',
          '--password',
          'Solid-Pass-2026y',
        ],
        env(dir),
      ).status,
    ).toBe(0);
    const restore = cli(['restore', file], env(dir));
    expect(restore.status, restore.stderr).toBe(0);
    // After the restore, the user made before the backup exists and the one made after does not.
    expect(cli(['users', 'reset-password', 'kept', '--json'], env(dir)).status).toBe(0);
    expect(cli(['users', 'reset-password', 'later'], env(dir)).status).not.toBe(0);
  });

  it('prints the demo accounts as JSON', () => {
    const dir = tempDir();
    const res = cli(['seed', 'demo', '--json'], env(dir));
    expect(res.status, res.stderr).toBe(0);
    const accounts = JSON.parse(res.stdout);
    // One account per role at realistic places (systemAdmin is the admin account itself).
    expect(accounts.map((a: { role: string }) => a.role).sort()).toEqual(
      roles.filter((r) => r !== 'systemAdmin').sort(),
    );
    for (const a of accounts)
      expect(Object.keys(a).sort()).toEqual(
        expect.arrayContaining(['orgUnitCode', 'password', 'role', 'username']),
      );
  });

  it('has help for every command', () => {
    const dir = tempDir();
    for (const args of [
      ['--help'],
      ['serve', '--help'],
      ['seed', 'demo', '--help'],
      ['users', 'create', '--help'],
      ['backup', '--help'],
    ]) {
      const res = cli(args, env(dir));
      expect(res.status, args.join(' ')).toBe(0);
      expect(res.stdout).toMatch(/Usage/);
    }
  });
});
