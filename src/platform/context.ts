import type { FastifyBaseLogger } from 'fastify';
import type { Locale } from '../i18n/index.js';
import type { SessionUser } from './auth/authorize.js';
import type { WorkCalendar } from './calendar/work-calendar.js';
import type { Config } from './config.js';
import type { PiiCipher } from './crypto.js';
import type { Database, Db } from './db/index.js';
import type { FileStore } from './files/store.js';
import type { JobRunner } from './jobs/runner.js';

/** What every service receives: the process-wide things. */
export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  pii: PiiCipher;
  files: FileStore;
  jobs: JobRunner;
  /** Working days for SLAs; replaced when an administrator edits a year. */
  calendar: WorkCalendar;
  log: FastifyBaseLogger;
}

/** Who is asking, for authorization and audit. */
export interface Caller {
  user: SessionUser | null;
  ip: string | null;
  requestId: string | null;
  locale: Locale;
}

/** A caller for work the system does itself (CLI, seeds, jobs without a user). */
export const systemCaller: Caller = { user: null, ip: null, requestId: null, locale: 'zh-CN' };
