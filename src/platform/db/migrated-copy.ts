import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationsFolder, openDatabase } from './index.js';
import { migrate } from './migrate.js';

/**
 * A new PGlite data directory starts from a copy of a freshly migrated database instead of running
 * initdb and every migration in it (a dozen seconds on a small machine; loading the copy takes about
 * one). The copy is made once per set of migrations, keyed by their text, post-migrate.sql and the
 * PGlite version, and kept under node_modules/.cache/grassroots (GRASSROOTS_CACHE_DIR moves it).
 * migrate() still runs on the loaded copy, and finds nothing to do.
 */
export async function migratedCopy(cacheDir = defaultCacheDir): Promise<Blob> {
  const file = join(cacheDir, `migrated-${migrationsKey()}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const database = await openDatabase();
  let copy: Blob;
  try {
    await migrate(database);
    copy = await database.pglite!.dumpDataDir('none');
  } finally {
    await database.close();
  }
  try {
    mkdirSync(cacheDir, { recursive: true });
    // Written aside and renamed, so a process starting at the same time never reads half a copy.
    const part = `${file}.${process.pid}.part`;
    writeFileSync(part, Buffer.from(await copy.arrayBuffer()));
    renameSync(part, file);
  } catch {
    // A read-only install still works: the copy is made again next time.
  }
  return copy;
}

/** Whether a PGlite data directory has never been initialised. */
export const isNewDataDir = (pgliteDir: string) => !existsSync(join(pgliteDir, 'PG_VERSION'));

const defaultCacheDir = fileURLToPath(new URL('../../../node_modules/.cache/grassroots', import.meta.url));

function migrationsKey() {
  const hash = createHash('sha256');
  const require = createRequire(import.meta.url);
  // The package does not export its package.json; it sits beside dist/.
  hash.update(readFileSync(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json')));
  hash.update(readFileSync(new URL('./post-migrate.sql', import.meta.url)));
  for (const dir of [migrationsFolder, join(migrationsFolder, 'meta')])
    for (const name of readdirSync(dir).sort())
      if (name.endsWith('.sql') || name === '_journal.json')
        hash.update(name).update(readFileSync(join(dir, name)));
  return hash.digest('hex').slice(0, 16);
}
