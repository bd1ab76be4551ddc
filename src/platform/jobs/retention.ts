import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/index.js';
import { job } from './schema.js';

/**
 * Exports (and rejected-row files) may hold full ID numbers: each is deleted once downloaded, and
 * any left after EXPORT_RETENTION_HOURS by a periodic sweep. The job remembers why its file is
 * gone, so a later download can say so (410) instead of a bare 404.
 */
export type FileGone = 'downloaded' | 'expired';

/** Notes on the job why its file is gone (null: it is back, a download having broken off). */
export async function markFileGone(ex: Executor, jobId: string, why: FileGone | null) {
  await ex.execute(
    why
      ? sql`update ${job} set result = coalesce(result, '{}'::jsonb) || jsonb_build_object('fileGone', ${why}::text)
          where id = ${jobId}`
      : sql`update ${job} set result = result - 'fileGone' where id = ${jobId}`,
  );
}

/** Deletes exports older than `retentionHours` (by modification time); returns how many. */
export async function sweepExports(
  ex: Executor,
  dataDir: string,
  retentionHours: number,
  now = Date.now(),
): Promise<number> {
  const dir = join(dataDir, 'exports');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err: any) {
    if (err.code === 'ENOENT') return 0;
    throw err;
  }
  let deleted = 0;
  for (const name of names) {
    const path = join(dir, name);
    let mtime: number;
    try {
      mtime = statSync(path).mtimeMs;
    } catch {
      continue; // downloaded and deleted meanwhile
    }
    if (now - mtime < retentionHours * 3600_000) continue;
    try {
      unlinkSync(path);
    } catch (err: any) {
      if (err.code !== 'ENOENT') throw err;
      continue;
    }
    deleted++;
    const id = /^([0-9a-f-]{36})\.out$/.exec(name)?.[1];
    if (id) await markFileGone(ex, id, 'expired');
  }
  return deleted;
}
