import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../../platform/db/index.js';
import { orgUnit } from './schema.js';

export type OrgUnit = typeof orgUnit.$inferSelect;

/** "Everything under this unit" — the one subtree predicate every module uses. */
export function subtreeOf(column: AnyPgColumn | SQL, path: string): SQL {
  return sql`${column} <@ ${path}::ltree`;
}

export async function findOrgUnit(ex: Executor, id: string): Promise<OrgUnit | undefined> {
  const [row] = await ex
    .select()
    .from(orgUnit)
    .where(and(eq(orgUnit.id, id), isNull(orgUnit.deletedAt)));
  return row;
}

export async function findOrgUnitByCode(ex: Executor, code: string): Promise<OrgUnit | undefined> {
  const [row] = await ex
    .select()
    .from(orgUnit)
    .where(and(eq(orgUnit.code, code), isNull(orgUnit.deletedAt)));
  return row;
}
