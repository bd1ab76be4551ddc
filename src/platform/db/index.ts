import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { acquireDirLock } from './lock.js';
import { Turns } from './turns.js';

// No relational schema: queries name their tables, so the platform need not know the domains' tables.
type Schema = Record<string, never>;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything a query can run on: the database or an open transaction. */
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  driver: 'pglite' | 'postgres';
  /** The underlying client, for the few things Drizzle does not do (COPY, dumps). */
  pglite?: PGlite;
  pool?: pg.Pool;
  /** Long jobs give way to requests between their chunks (see turns.ts). */
  turns: Turns;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('../../../migrations', import.meta.url));

export interface OpenOptions {
  /** PostgreSQL connection string; absent → PGlite. */
  url?: string;
  /** PGlite data directory; absent → in memory. */
  dataDir?: string;
  /** A PGlite data dump to start from (tests start every file from a migrated dump). */
  loadDataDir?: Blob;
  /** Hold a lock file in dataDir (the server does; short-lived CLI reads may too). */
  lock?: boolean;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    pool.on('error', () => {}); // an idle client dropped by the server must not crash the process
    await pool.query('select 1');
    const db = drizzlePg(pool) as unknown as Db;
    return { db, driver: 'postgres', pool, turns: new Turns(false), close: () => pool.end() };
  }
  let release = () => {};
  let dir: string | undefined;
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    if (opts.lock !== false) release = acquireDirLock(opts.dataDir);
    dir = join(opts.dataDir, 'pglite');
  }
  try {
    const pglite = await PGlite.create(dir, {
      extensions: { ltree, pg_trgm },
      loadDataDir: opts.loadDataDir,
    });
    const db = drizzlePglite(pglite) as unknown as Db;
    let closed = false;
    return {
      db,
      driver: 'pglite',
      pglite,
      turns: new Turns(true),
      async close() {
        if (closed) return;
        closed = true;
        await pglite.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** Rows of a raw `db.execute(sql...)`, the same shape on both drivers. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
