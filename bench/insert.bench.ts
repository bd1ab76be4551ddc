import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { from as copyFrom } from 'pg-copy-streams';
import { bareInsertRate, baselineRow, openBenchDatabase } from './lib/baseline.js';
import type { Bench, BenchRow } from './lib/types.js';

const benchTable = pgTable('bench_drizzle', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  code: text('code').notNull(),
  n: integer('n').notNull(),
});

const rows = 100_000;

/** Bare insert limits per driver: raw multi-row INSERT, the same through Drizzle, and COPY on PostgreSQL. */
export const bench: Bench = {
  name: 'insert',
  async run() {
    const out: BenchRow[] = [];
    const drivers: ('pglite' | 'postgres')[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
    for (const driver of drivers) {
      const database = await openBenchDatabase(driver);
      const bare = await bareInsertRate(database, rows);
      out.push({ name: `${driver}: bare multi-row INSERT`, value: Math.round(bare), unit: 'rows/s' });

      await database.db.execute(sql`drop table if exists bench_drizzle`);
      await database.db.execute(
        sql`create table bench_drizzle (id int primary key, name text not null, code text not null, n int not null)`,
      );
      const started = performance.now();
      for (let start = 0; start < rows; start += 1000) {
        const batch = Array.from({ length: 1000 }, (_, k) => baselineRow(start + k));
        await database.db.insert(benchTable).values(batch);
      }
      const drizzleRate = rows / ((performance.now() - started) / 1000);
      out.push({
        name: `${driver}: Drizzle insert, batches of 1,000`,
        value: Math.round(drizzleRate),
        unit: 'rows/s',
        ratioTo: `${driver}: bare multi-row INSERT`,
        ratio: drizzleRate / bare,
      });
      await database.db.execute(sql`drop table bench_drizzle`);

      if (database.pool) {
        await database.db.execute(
          sql`create table bench_copy (id int primary key, name text not null, code text not null, n int not null)`,
        );
        const client = await database.pool.connect();
        const t0 = performance.now();
        const lines = (function* () {
          for (let i = 0; i < rows; i++) {
            const r = baselineRow(i);
            yield `${r.id}\t${r.name}\t${r.code}\t${r.n}\n`;
          }
        })();
        await pipeline(Readable.from(lines), client.query(copyFrom('COPY bench_copy FROM STDIN')));
        const copyRate = rows / ((performance.now() - t0) / 1000);
        client.release();
        out.push({
          name: `${driver}: COPY`,
          value: Math.round(copyRate),
          unit: 'rows/s',
          ratioTo: `${driver}: bare multi-row INSERT`,
          ratio: copyRate / bare,
        });
        await database.db.execute(sql`drop table bench_copy`);
      }
      await database.close();
    }
    return out;
  },
};
