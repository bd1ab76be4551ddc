import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
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

/**
 * A unit's name as people can tell it apart: every community has a 第1–7网格, so a grid is named
 * with its community ("吉劳庆社区 第5网格"); other units by their own name. `id` is a uuid column or
 * expression; the subquery's aliases are long so that an outer query's `u` or `p` stays its own.
 */
export function unitLabelSql(id: AnyPgColumn | SQL): SQL<string | null> {
  return sql<string | null>`(select case when label_unit.kind = 'grid' and label_parent.name is not null
      then label_parent.name || ' ' || label_unit.name else label_unit.name end
    from org_unit label_unit left join org_unit label_parent on label_parent.id = label_unit.parent_id
    where label_unit.id = ${id})`;
}

/** The labels (see unitLabelSql) of some units, by id. */
export async function unitLabels(ex: Executor, ids: (string | null | undefined)[]) {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Map<string, string>();
  const rows = await ex
    // Spelled out: Drizzle prints a bare "id" for a single-table select's column, which the subquery would take as its own.
    .select({ id: orgUnit.id, label: unitLabelSql(sql.raw('"org_unit"."id"')) })
    .from(orgUnit)
    .where(inArray(orgUnit.id, wanted));
  return new Map(rows.map((r) => [r.id, r.label ?? '']));
}
