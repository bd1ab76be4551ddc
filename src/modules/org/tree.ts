import { and, asc, eq, ilike, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import { activeAssignments, grantsFor, scopeFilter } from '../../platform/auth/authorize.js';
import type { Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { notFound } from '../../platform/errors.js';
import { orgUnit } from './schema.js';
import { unitLabelSql } from './units.js';

export interface OrgUnitQuery {
  parentId?: string;
  q?: string;
  kind?: string;
  page: number;
  pageSize: number;
}

// Written out in full: inside a subquery Drizzle would render the outer column unqualified.
const hasChildren = sql<boolean>`exists (select 1 from org_unit c where c.parent_id = org_unit.id and c.deleted_at is null)`;

/**
 * Children of a unit, a search within the caller's subtree, or — with neither — the caller's own
 * roots (the units of their assignments; the top of the tree for system-wide roles).
 */
export async function listOrgUnits(ex: Executor, caller: Caller, q: OrgUnitQuery) {
  const where: SQL[] = [isNull(orgUnit.deletedAt), scopeFilter(caller.user, 'org.read', orgUnit.path)];
  if (q.parentId) where.push(eq(orgUnit.parentId, q.parentId));
  else if (q.q) where.push(or(ilike(orgUnit.name, `%${q.q}%`), ilike(orgUnit.code, `${q.q}%`))!);
  else {
    const roots = grantsFor(caller.user!, 'org.read').map((g) => g.orgUnitId);
    where.push(roots.includes(null) ? isNull(orgUnit.parentId) : inArray(orgUnit.id, roots as string[]));
  }
  if (q.kind) where.push(eq(orgUnit.kind, q.kind));
  const rows = await ex
    .select({
      id: orgUnit.id,
      code: orgUnit.code,
      name: orgUnit.name,
      // The row's own label: never null.
      label: unitLabelSql(sql.raw('"org_unit"."id"')) as SQL<string>,
      kind: orgUnit.kind,
      subtype: orgUnit.subtype,
      parentId: orgUnit.parentId,
      path: orgUnit.path,
      hasChildren,
      total: sql<number>`count(*) over()`.mapWith(Number),
    })
    .from(orgUnit)
    .where(and(...where))
    .orderBy(asc(orgUnit.sort), asc(orgUnit.code))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
}

/** One unit with its breadcrumbs, if it lies in the caller's subtree (else 404). */
export async function getOrgUnit(ex: Executor, caller: Caller, id: string) {
  const [row] = await ex
    .select()
    .from(orgUnit)
    .where(
      and(eq(orgUnit.id, id), isNull(orgUnit.deletedAt), scopeFilter(caller.user, 'org.read', orgUnit.path)),
    );
  if (!row) throw notFound();
  const ancestors = await ex
    .select({ id: orgUnit.id, code: orgUnit.code, name: orgUnit.name, kind: orgUnit.kind })
    .from(orgUnit)
    .where(sql`${orgUnit.path} @> ${row.path}::ltree and ${orgUnit.id} <> ${row.id}`)
    .orderBy(asc(orgUnit.level));
  // Breadcrumbs above the caller's own roots are names only: they are not theirs to open.
  const visibleRoots = activeAssignments(caller.user!).map((a) => a.orgPath);
  const parent = ancestors.at(-1);
  const label = row.kind === 'grid' && parent ? `${parent.name} ${row.name}` : row.name;
  return { ...row, label, breadcrumbs: ancestors, scopeRoots: visibleRoots };
}
