import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { chromiumPath, e2eEnv } from './harness.js';

declare module 'vitest' {
  export interface ProvidedContext {
    e2eSeedDir: string;
  }
}

/** Builds the web app and seeds the demo once; each test file starts a server on a copy of it. */
export default async function setup(project: TestProject) {
  if (!existsSync(chromiumPath())) {
    throw new Error(
      `Chromium not found at ${chromiumPath()}: browser tests cannot run. Install it (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'grassroots-e2e-seed-'));
  execFileSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'seed', 'demo'], {
    env: { ...process.env, ...e2eEnv(dir) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  project.provide('e2eSeedDir', dir);
}
