/**
 * Whether a query failed on the unique index or constraint `name` (SQLSTATE 23505), on either
 * driver: Drizzle wraps the driver's error, whose message names the constraint.
 */
export function uniqueViolation(err: unknown, name: string): boolean {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const inner = e?.cause?.code ? e.cause : e;
  return inner?.code === '23505' && String(inner.message ?? '').includes(name);
}
