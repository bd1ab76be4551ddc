import { join } from 'node:path';
import pino from 'pino';
import { ensureDefaultCalendar, loadCalendar } from './calendar/service.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { createPiiCipher } from './crypto.js';
import { type Database, openDatabase } from './db/index.js';
import { migrate } from './db/migrate.js';
import { isNewDataDir, migratedCopy } from './db/migrated-copy.js';
import { type Domain, sessionResolver } from './domains.js';
import { FileStore } from './files/store.js';
import { JobRunner } from './jobs/runner.js';

export interface ContextOptions {
  /** An already open database (tests); otherwise opened from the config. */
  database?: Database;
  /** Take the data-directory lock (the server and writing CLI commands do). */
  lock?: boolean;
  log?: AppContext['log'];
}

/**
 * Opens the database, runs migrations and wires the process-wide services, then lets each domain
 * register its jobs and run its start-up steps (src/domains.ts lists them).
 */
export async function openContext(
  config: Config,
  domains: readonly Domain[],
  opts: ContextOptions = {},
): Promise<AppContext> {
  const resolveSession = sessionResolver(domains);
  const database =
    opts.database ??
    (await openDatabase({
      url: config.DATABASE_URL,
      dataDir: config.dataDir,
      lock: opts.lock ?? true,
      loadDataDir:
        !config.DATABASE_URL && isNewDataDir(join(config.dataDir, 'pglite'))
          ? await migratedCopy(config.GRASSROOTS_CACHE_DIR)
          : undefined,
    }));
  await migrate(database);
  await ensureDefaultCalendar(database.db);
  const log = opts.log ?? (pino({ level: config.LOG_LEVEL }) as unknown as AppContext['log']);
  const ctx: AppContext = {
    config,
    database,
    db: database.db,
    pii: createPiiCipher(config.secret),
    files: new FileStore(join(config.dataDir, 'files'), config.UPLOAD_MAX_BYTES),
    jobs: new JobRunner(database.db, log),
    calendar: await loadCalendar(database.db),
    log,
    resolveSession: (token) => resolveSession(ctx, token),
  };
  for (const d of domains) d.registerJobs?.(ctx);
  for (const d of domains) await d.prepare?.(ctx);
  return ctx;
}
