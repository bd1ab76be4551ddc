import type { FastifyBaseLogger } from 'fastify';
import type { Locale } from '../i18n/index.js';
import type { SessionUser } from './auth/authorize.js';
import type { WorkCalendar } from './calendar/work-calendar.js';
import type { Config } from './config.js';
import type { PiiCipher } from './crypto.js';
import type { Database, Db } from './db/index.js';
import type { FileStore } from './files/store.js';
import type { JobRunner } from './jobs/runner.js';

/** Who a session token belongs to: none when revoked or timed out (`expired` says which message to give). */
export interface ResolvedSession {
  user: SessionUser | null;
  expired: boolean;
}

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
  /** Answers authentication: given by the domain that keeps sessions (see platform/domains.ts). */
  resolveSession(token: string): Promise<ResolvedSession>;
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
