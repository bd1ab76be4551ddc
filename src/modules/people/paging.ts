import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { page } from '../../platform/http/schemas.js';

/**
 * Lists count their matches only up to here: counting all 580k residents of a district (or the
 * 40k named 王…) cost seconds, while a page of 20 takes milliseconds. Above it the list says
 * 「10000+」 (`totalCapped`) and pages on through the first 10,000.
 */
export const totalCap = 10_000;

/** `{ total, totalCapped }` of a filtered query: count(*) over at most totalCap + 1 matching rows. */
export async function cappedTotal(ex: Executor, from: SQL, where: SQL) {
  const [{ n }] = rowsOf<{ n: number }>(
    await ex.execute(
      sql`select count(*)::int as n from (select 1 from ${from} where ${where} limit ${totalCap + 1}) m`,
    ),
  );
  return n > totalCap ? { total: totalCap, totalCapped: true } : { total: Number(n), totalCapped: false };
}

/** A page of a people list whose total is counted only up to 10,000 (see `cappedTotal`). */
export const cappedPage = <T extends z.ZodType>(item: T) =>
  page(item).extend({
    totalCapped: z
      .boolean()
      .describe('true: more than `total` (10000) match; the list pages through the first 10000'),
  });
