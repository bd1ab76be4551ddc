import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../platform/db/index.js';

/** A value of one CSV cell: null is SQL NULL, an array becomes a PostgreSQL array literal. */
export type CopyValue = string | number | null | readonly string[];

export interface CopyBatch {
  table: string;
  columns: readonly string[];
  rows: CopyValue[][];
}

const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
const arrayLiteral = (xs: readonly string[]) =>
  `{${xs.map((x) => `"${x.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;

/** CSV for `COPY … WITH (FORMAT csv)`: every text quoted, so only an unquoted empty cell is NULL. */
export function toCsv(rows: CopyValue[][]): string {
  const lines: string[] = [];
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (i) line += ',';
      if (v === null) continue;
      line += typeof v === 'number' ? String(v) : quote(typeof v === 'string' ? v : arrayLiteral(v));
    }
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

type Run = (sql: string, csv?: string) => Promise<{ rows: unknown[] }>;

export interface BulkLoad {
  /** Appends the batches' rows (COPY, one statement per table). */
  copy(batches: CopyBatch[]): Promise<void>;
}

export interface BulkOptions {
  /**
   * Tables that are empty when the load starts. As pg_restore does: their secondary indexes and
   * foreign keys are dropped first and recreated from their own definitions at the end — one
   * index build instead of 500k trigram and GiST insertions, one join that validates each foreign
   * key instead of a lookup per row. Same transaction, so a failure (a bad reference fails the
   * re-added key) leaves the schema and data exactly as they were.
   */
  rebuildIndexesOf?: readonly string[];
}

/**
 * Bulk load for generated data: everything in one transaction (a crash leaves none of it), rows
 * through COPY — no per-row statement and parameter work. On PGlite the CSV is read from
 * `/dev/blob`, on PostgreSQL it is streamed to the server.
 */
export async function bulkLoad(
  database: Database,
  opts: BulkOptions,
  work: (load: BulkLoad) => Promise<void>,
): Promise<void> {
  const body = async (run: Run) => {
    const tables = opts.rebuildIndexesOf ?? [];
    let indexes: { name: string; def: string }[] = [];
    let keys: { table: string; name: string; def: string }[] = [];
    if (tables.length) {
      const list = tables.map((t) => `'${t}'`).join(', ');
      keys = (
        await run(
          `select c.conrelid::regclass::text as table, c.conname as name, pg_get_constraintdef(c.oid) as def
             from pg_constraint c where c.contype = 'f' and c.conrelid::regclass::text in (${list})`,
        )
      ).rows as typeof keys;
      // Primary keys stay (constraints, and other tables' foreign keys point at them).
      indexes = (
        await run(
          `select i.indexname as name, i.indexdef as def from pg_indexes i
            where i.schemaname = current_schema() and i.tablename in (${list})
              and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
        )
      ).rows as typeof indexes;
      for (const k of keys) await run(`alter table "${k.table}" drop constraint "${k.name}"`);
      for (const ix of indexes) await run(`drop index "${ix.name}"`);
    }
    await work({
      async copy(batches) {
        for (const b of batches)
          if (b.rows.length)
            await run(
              `copy ${b.table} (${b.columns.join(', ')}) from $SOURCE with (format csv)`,
              toCsv(b.rows),
            );
      },
    });
    for (const ix of indexes) await run(ix.def);
    for (const k of keys) await run(`alter table "${k.table}" add constraint "${k.name}" ${k.def}`);
    for (const t of tables) await run(`analyze ${t}`);
  };
  if (database.pglite) {
    await database.pglite.transaction((tx) =>
      body((sql, csv) =>
        csv === undefined
          ? tx.query(sql)
          : tx.query(sql.replace('$SOURCE', "'/dev/blob'"), [], { blob: new Blob([csv]) }),
      ),
    );
    return;
  }
  const client = await database.pool!.connect();
  try {
    await client.query('begin');
    await body(async (sql, csv) => {
      if (csv === undefined) return client.query(sql);
      await pipeline(Readable.from([csv]), client.query(copyFrom(sql.replace('$SOURCE', 'stdin'))));
      return { rows: [] };
    });
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
