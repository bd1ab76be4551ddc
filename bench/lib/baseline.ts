import { sql } from 'drizzle-orm';
import { type Database, openDatabase } from '../../src/platform/db/index.js';

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
