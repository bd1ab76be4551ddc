import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { openDatabase, rowsOf } from './index.js';
import { migrate } from './migrate.js';
import { isNewDataDir, migratedCopy } from './migrated-copy.js';

const dir = mkdtempSync(join(tmpdir(), 'grassroots-copy-'));
const journal = JSON.parse(
  readFileSync(new URL('../../../migrations/meta/_journal.json', import.meta.url), 'utf8'),
) as { entries: unknown[] };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('starts a new data directory from a migrated copy made once and kept in the cache', async () => {
  const cache = join(dir, 'cache');
  const first = await migratedCopy(cache);
  expect(readdirSync(join(dir, 'cache'))).toEqual([expect.stringMatching(/^migrated-[0-9a-f]{16}\.tar$/)]);
  const second = await migratedCopy(cache);
  expect(Buffer.from(await second.arrayBuffer()).equals(Buffer.from(await first.arrayBuffer()))).toBe(true);

  const dataDir = join(dir, 'data');
  expect(isNewDataDir(join(dataDir, 'pglite'))).toBe(true);
  const database = await openDatabase({ dataDir, loadDataDir: second });
  try {
    expect(isNewDataDir(join(dataDir, 'pglite'))).toBe(false);
    const applied = async () =>
      rowsOf<{ n: number }>(
        await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`),
      )[0].n;
    expect(await applied()).toBe(journal.entries.length);
    await migrate(database); // finds nothing to do
    expect(await applied()).toBe(journal.entries.length);
    await database.db.execute(sql`select id, path from org_unit limit 1`);
  } finally {
    await database.close();
  }
});
