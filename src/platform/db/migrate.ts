import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { type Database, migrationsFolder } from './index.js';

const postMigrate = readFileSync(new URL('./post-migrate.sql', import.meta.url), 'utf8');

/** drizzle-kit does not emit CREATE EXTENSION, so the extensions come first; triggers come after. */
export async function migrate(database: Database): Promise<void> {
  await database.db.execute(sql`create extension if not exists ltree`);
  await database.db.execute(sql`create extension if not exists pg_trgm`);
  if (database.driver === 'pglite') {
    await migratePglite(database.db as any, { migrationsFolder });
    await database.pglite!.exec(postMigrate);
  } else {
    await migratePg(database.db as any, { migrationsFolder });
    await database.pool!.query(postMigrate);
  }
}
