import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { protectPhoneUsernames } from '../modules/accounts/phone-login.js';
import { assignRole, createUser, findUserByUsername } from '../modules/accounts/service.js';
import { ensureDefaultCategories } from '../modules/work-orders/service.js';
import { ensureDefaultCalendar, loadCalendar } from './calendar/service.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { createPiiCipher } from './crypto.js';
import { type Database, openDatabase } from './db/index.js';
import { migrate } from './db/migrate.js';
import { isNewDataDir, migratedCopy } from './db/migrated-copy.js';
import { FileStore } from './files/store.js';
import { registerJobs } from './jobs/registry.js';
import { JobRunner } from './jobs/runner.js';

export interface ContextOptions {
  /** An already open database (tests); otherwise opened from the config. */
  database?: Database;
  /** Take the data-directory lock (the server and writing CLI commands do). */
  lock?: boolean;
  log?: AppContext['log'];
}

/** Opens the database, runs migrations and wires the process-wide services. */
export async function openContext(config: Config, opts: ContextOptions = {}): Promise<AppContext> {
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
  await ensureDefaultCategories(database.db);
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
  };
  registerJobs(ctx);
  await protectPhoneUsernames(ctx);
  return ctx;
}

/**
 * The first administrator: password from GRASSROOTS_ADMIN_PASSWORD, or generated, printed once and
 * left in DATA_DIR/initial-admin-password (0600) for whoever starts the server.
 */
export async function ensureAdmin(
  ctx: AppContext,
): Promise<{ created: boolean; password?: string; file?: string }> {
  if (await findUserByUsername(ctx.db, 'admin')) return { created: false };
  const password = ctx.config.GRASSROOTS_ADMIN_PASSWORD ?? `Gr${randomBytes(9).toString('base64url')}7`;
  await ctx.db.transaction(async (tx) => {
    const admin = await createUser(
      tx,
      {
        username: 'admin',
        displayName: '系统管理员',
        password,
        mustChangePassword: !ctx.config.GRASSROOTS_ADMIN_PASSWORD,
      },
      { skipPolicy: true },
    );
    await assignRole(tx, { userId: admin.id, role: 'systemAdmin', orgUnitId: null, orgPath: null });
  });
  if (ctx.config.GRASSROOTS_ADMIN_PASSWORD) return { created: true };
  const file = join(ctx.config.dataDir, 'initial-admin-password');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return { created: true, password, file };
}
