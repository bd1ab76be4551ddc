import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

export const testSecret = 'process-secret-process-secret-0123456789';
export const processAdminPassword = 'Admin-Proc-Pass-2026';

export function env(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _omit, ...rest } = process.env;
  return {
    ...rest,
    DATA_DIR: dataDir,
    GRASSROOTS_SECRET: testSecret,
    GRASSROOTS_ADMIN_PASSWORD: processAdminPassword,
    GRASSROOTS_DEMO: '0',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Runs the real CLI to completion. */
export function cli(args: string[], e: NodeJS.ProcessEnv) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    env: e,
    encoding: 'utf8',
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `serve` and resolves once /api/health answers. */
export async function serve(
  e: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--no-build'], {
    env: { ...e, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${out}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { child, url, output: () => out };
    } catch {}
    if (Date.now() > deadline) throw new Error(`server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Resolves with the exit code (null when a signal ended it), also when it has already exited. */
export const exited = (child: ChildProcess) =>
  // A child killed by a signal keeps exitCode null and sets signalCode: check both, or a child
  // that ended before the call is waited for forever.
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
