import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  GRASSROOTS_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  GRASSROOTS_ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  GRASSROOTS_DEMO: bool.optional(),
  /** Where the migrated copy new PGlite data directories start from is kept (default: node_modules/.cache/grassroots). */
  GRASSROOTS_CACHE_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  LOGIN_RATE_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /** Exports not downloaded are deleted after this many hours (downloaded ones at once). */
  EXPORT_RETENTION_HOURS: z.coerce.number().positive().default(24),
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(120),
  /** How long a resolved session is reused before it is read again (0 = every request). */
  SESSION_CACHE_MS: z.coerce.number().int().min(0).default(2000),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 7),
  /**
   * Behind a reverse proxy: trust its X-Forwarded-For/-Proto/-Host (`true`, or the proxies'
   * addresses or CIDRs, comma-separated), so client addresses and the public URL are the real ones.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .min(1)
    .transform((v): boolean | string =>
      /^(true|yes|on|1)$/i.test(v) ? true : /^(false|no|off|0)$/i.test(v) ? false : v,
    )
    .optional(),
  MAP_TILE_URL: z.string().optional(),
  MAP_TILE_ATTRIBUTION: z.string().optional(),
  MAP_TILE_CRS: z.enum(['WGS84', 'GCJ02']).default('WGS84'),
  /** 问题工单 thresholds (Bayannur practice: 3 returns, 3 reworks or 3 units without a lead). */
  PROBLEM_RETURNS: z.coerce.number().int().positive().default(3),
  PROBLEM_REWORKS: z.coerce.number().int().positive().default(3),
  PROBLEM_UNITS: z.coerce.number().int().positive().default(3),
  /** Duplicate suggestions at intake: same category within this many metres and hours. */
  DUPLICATE_METRES: z.coerce.number().positive().default(200),
  DUPLICATE_HOURS: z.coerce.number().positive().default(72),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Omit<Env, 'GRASSROOTS_SECRET' | 'GRASSROOTS_DEMO'> {
  dataDir: string;
  secret: string;
  demo: boolean;
  driver: 'pglite' | 'postgres';
  problemLimits: { returns: number; rework: number; units: number };
}

export class ConfigError extends Error {}

/** Parses the environment; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return {
    ...e,
    dataDir,
    secret: e.GRASSROOTS_SECRET ?? loadOrCreateSecret(dataDir),
    demo: e.GRASSROOTS_DEMO ?? e.NODE_ENV !== 'production',
    driver: e.DATABASE_URL ? 'postgres' : 'pglite',
    problemLimits: { returns: e.PROBLEM_RETURNS, rework: e.PROBLEM_REWORKS, units: e.PROBLEM_UNITS },
  };
}

/** Generated once per data directory and kept there, readable by the owner only. */
function loadOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
