import type { Command } from 'commander';
import { openContext } from '../platform/bootstrap.js';
import { ConfigError, loadConfig } from '../platform/config.js';
import type { AppContext } from '../platform/context.js';
import { DirLockedError } from '../platform/db/lock.js';
import { AppError } from '../platform/errors.js';

/** Opens the configured database for one CLI command, runs it, closes it, and turns failures into exit codes. */
export async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const ctx = await openContext({
    ...config,
    LOG_LEVEL: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL,
  });
  try {
    return await fn(ctx);
  } finally {
    await ctx.jobs.stop();
    await ctx.database.close();
  }
}

/** Prints a result: JSON with --json, else the human text. */
export function report(json: boolean | undefined, value: unknown, human: () => string) {
  console.log(json ? JSON.stringify(value, null, 2) : human());
}

export function fail(err: unknown): never {
  if (err instanceof ConfigError || err instanceof DirLockedError) console.error(err.message);
  else if (err instanceof AppError) {
    console.error(`${err.code}: ${err.message}`);
    for (const f of err.fields ?? []) console.error(`  ${f.path}: ${f.message}`);
  } else console.error(err);
  process.exit(err instanceof AppError && err.status < 500 ? 2 : 1);
}

export type CliModule = (program: Command) => void;
