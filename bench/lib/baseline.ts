import { sql } from 'drizzle-orm';
import { type Database, openDatabase, rowsOf } from '../../src/platform/db/index.js';

/** Rows of a plain table that later benchmarks' inserts are compared with. */
export const baselineTable = sql.raw('bench_baseline');

export async function openBenchDatabase(driver: 'pglite' | 'postgres'): Promise<Database> {
  if (driver === 'postgres') {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set');
    return openDatabase({ url });
  }
  return openDatabase();
}

const row = (i: number) => ({ id: i, name: `居民${i}`, code: `15060200100${i % 100}`, n: i % 97 });

/**
 * The bare multi-row INSERT rate: `rows` rows in batches of `batch`, one statement per batch,
 * no ORM, no validation — the limit the application's own writes are measured against.
 */
export async function bareInsertRate(database: Database, rows = 100_000, batch = 1000): Promise<number> {
  await database.db.execute(sql`drop table if exists bench_baseline`);
  await database.db.execute(
    sql`create table bench_baseline (id int primary key, name text not null, code text not null, n int not null)`,
  );
  const started = performance.now();
  for (let start = 0; start < rows; start += batch) {
    const values = [];
    for (let i = start; i < Math.min(rows, start + batch); i++) {
      const r = row(i);
      values.push(sql`(${r.id}, ${r.name}, ${r.code}, ${r.n})`);
    }
    await database.db.execute(
      sql`insert into bench_baseline (id, name, code, n) values ${sql.join(values, sql`, `)}`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  await database.db.execute(sql`drop table bench_baseline`);
  return rows / seconds;
}

export { row as baselineRow };

/**
 * The bare multi-row INSERT of rows already in `tables` (in that order, so references hold): each
 * table's rows are read as text, deleted (in reverse order) and vacuumed, then inserted again
 * `batch` per statement with nothing else — the same rows, columns and indexes an import writes.
 * Returns the rows of `per` (default: the last table) per second of the whole insert.
 */
export async function reinsertRate(
  database: Database,
  tables: string[],
  batch = 1000,
  per = tables.at(-1),
): Promise<number> {
  const ex = database.db;
  const copies = [];
  for (const table of tables) {
    const columns = rowsOf<{ name: string }>(
      await ex.execute(sql`select column_name as name from information_schema.columns
        where table_schema = current_schema() and table_name = ${table} order by ordinal_position`),
    ).map((c) => c.name);
    const list = columns.map((c) => `"${c}"`).join(', ');
    const rows = rowsOf<Record<string, string | null>>(
      await ex.execute(sql.raw(`select ${columns.map((c) => `"${c}"::text`).join(', ')} from "${table}"`)),
    );
    copies.push({ table, list, rows: rows.map((r) => Object.values(r)) });
  }
  for (const { table } of [...copies].reverse()) await ex.execute(sql.raw(`delete from "${table}"`));
  for (const { table } of copies) await ex.execute(sql.raw(`vacuum "${table}"`));
  // The driver itself, not the ORM: building a 27,000-parameter statement is not the database's work.
  const query = (text: string, values: unknown[]) =>
    database.pglite ? database.pglite.query(text, values) : database.pool!.query(text, values);
  const started = performance.now();
  for (const { table, list, rows } of copies)
    for (let start = 0; start < rows.length; start += batch) {
      const chunk = rows.slice(start, start + batch);
      const width = chunk[0].length;
      const tuples = chunk.map((_, i) => `(${chunk[0].map((_, j) => `$${i * width + j + 1}`).join(', ')})`);
      await query(`insert into "${table}" (${list}) values ${tuples.join(', ')}`, chunk.flat());
    }
  return copies.find((c) => c.table === per)!.rows.length / ((performance.now() - started) / 1000);
}
