import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { Command } from 'commander';
import { openAppContext } from '../domains.js';
import { ConfigError, loadConfig } from '../platform/config.js';
import type { AppContext } from '../platform/context.js';
import { DirLockedError } from '../platform/db/lock.js';
import { AppError } from '../platform/errors.js';

/** Opens the configured database for one CLI command, runs it, closes it, and turns failures into exit codes. */
export async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const ctx = await openAppContext({
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

/** The command being run, as typed ("import hotline"), for messages. */
const commandWords = () =>
  process.argv
    .slice(2)
    .filter((a, i, all) => !a.startsWith('-') && (i === 0 || !all[i - 1].startsWith('--')))
    .slice(0, 2)
    .join(' ') || 'grassroots';

/**
 * Where an unexpected failure's full text goes: a log file under the data directory (else the
 * system's temporary directory), so the terminal shows one line and the details are kept.
 */
function writeLog(err: unknown): string | null {
  let dir: string;
  try {
    dir = join(loadConfig().dataDir, 'logs');
  } catch {
    dir = tmpdir();
  }
  const file = join(dir, `cli-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  try {
    mkdirSync(dir, { recursive: true });
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    const cause = err instanceof Error && err.cause ? `\ncaused by: ${inspect(err.cause)}` : '';
    writeFileSync(
      file,
      `${new Date().toISOString()} grassroots ${process.argv.slice(2).join(' ')}\n${detail}${cause}\n`,
    );
    return file;
  } catch {
    return null;
  }
}

/** The first line of an error's message, without the SQL a driver error quotes. */
const firstLine = (err: unknown) => {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n')[0].trim();
  return line.startsWith('Failed query:') ? '数据库语句执行出错' : line.slice(0, 200);
};

/**
 * Ends a command that failed, in terminal words: what was wrong with the input (exit 2), or one
 * line saying what failed and where the full error was written (exit 1) — never a raw stack.
 */
export function fail(err: unknown): never {
  if (err instanceof ConfigError || err instanceof DirLockedError) console.error(err.message);
  else if (err instanceof AppError && err.status < 500) {
    // The fields' own messages: the generic one talks about a form ("标红的字段").
    if (err.fields?.length) for (const f of err.fields) console.error(`${f.path}：${f.message}`);
    else console.error(err.message);
  } else {
    const log = writeLog(err);
    console.error(
      `命令「${commandWords()}」意外失败：${firstLine(err)}${log ? `（完整错误已写入 ${log}）` : ''}`,
    );
  }
  process.exit(err instanceof AppError && err.status < 500 ? 2 : 1);
}

export type CliModule = (program: Command) => void;
