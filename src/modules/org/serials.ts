import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/index.js';
import { rowsOf } from '../../platform/db/index.js';
import { orgUnit } from './schema.js';

/**
 * The next serial for children of one kind under a parent, atomically. Serials only grow, so a
 * deleted grid's code is never handed out again (CJ/T 349-2010 codes identify a place for good).
 */
export async function nextSerial(ex: Executor, parentId: string, kind: string, count = 1): Promise<number> {
  const [row] = rowsOf<{ last: number }>(
    await ex.execute(sql`insert into org_serial (parent_id, kind, last) values (${parentId}, ${kind}, ${count})
      on conflict (parent_id, kind) do update set last = org_serial.last + ${count}
      returning last`),
  );
  return row.last - count + 1;
}

/** Grid code: the community's 12-digit code + 2-digit serial; a micro grid adds 2 more to its grid's. */
export function gridCode(parentCode: string, serial: number): string {
  if (serial > 99) throw new Error('a community or grid holds at most 99 grids');
  return `${parentCode}${String(serial).padStart(2, '0')}`;
}

export function buildingCode(gridCode: string, serial: number): string {
  return `${gridCode}B${String(serial).padStart(3, '0')}`;
}

/**
 * The next code for a new child that no unit holds yet: serials only grow, and a code an import or
 * a hand-made unit already took is skipped rather than clashed with.
 */
export async function nextFreeCode(
  ex: Executor,
  parentId: string,
  kind: string,
  format: (serial: number) => string,
): Promise<string> {
  for (;;) {
    const code = format(await nextSerial(ex, parentId, kind));
    const [taken] = await ex.select({ id: orgUnit.id }).from(orgUnit).where(eq(orgUnit.code, code));
    if (!taken) return code;
  }
}
