import { z } from 'zod';
import { startOfLocalDay } from '../calendar/local-time.js';
import { AppError } from '../errors.js';

/** Timestamps leave the API as ISO-8601 strings and arrive as Dates. */
export const timestamp = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (s) => new Date(s),
  encode: (d) => d.toISOString(),
});

/**
 * A period boundary: an instant (ISO-8601 with offset), or a date `YYYY-MM-DD`, which means the
 * start of that day in Beijing time, so a caller who names days gets Beijing days, never UTC ones.
 */
export const periodBoundary = z.codec(z.union([z.iso.datetime({ offset: true }), z.iso.date()]), z.date(), {
  decode: (s) => (s.length === 10 ? startOfLocalDay(s) : new Date(s)),
  encode: (d) => d.toISOString(),
});

export const uuidParam = z.object({ id: z.uuid() });

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int() });

export const ok = z.object({ ok: z.literal(true) });

export const errorBody = z.object({
  code: z.string(),
  message: z.string(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/**
 * Validates what a route could not declare to Fastify (multipart fields): the same 400 with
 * field paths as a declared body schema gives.
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError(
    'VALIDATION',
    400,
    'error.VALIDATION',
    undefined,
    parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  );
}

/** The Idempotency-Key header of a retried write (the mobile outbox sends one with each request). */
export const idempotencyHeader = z.object({
  'idempotency-key': z.string().trim().min(8).max(100).optional().describe('重试时带相同的值，只会生效一次'),
});
