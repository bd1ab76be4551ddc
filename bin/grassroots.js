#!/usr/bin/env node
// Runs the TypeScript CLI in this process through tsx's loader, so the installed `grassroots`
// command needs no build step and signals reach the server itself.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const res = spawnSync(process.execPath, ['--import', 'tsx', `${root}src/cli.ts`, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: process.cwd(),
});
process.exit(res.status ?? 1);
