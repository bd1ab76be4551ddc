import { and, eq, isNull, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { forgetSessions } from '../accounts/sessions.js';
import { gridIndexFor } from './locate.js';
import { orgUnit } from './schema.js';
import { nextFreeCode } from './serials.js';
import { findOrgUnit, type OrgUnit } from './units.js';

/**
 * Creating, renaming, moving and retiring the units people manage by hand: streets, communities
 * (when a division is created or split before GB/T 2260 catches up), departments and organisations.
 * Regions, cities and districts come from the division import; grids and buildings have their own.
 */
export const managedKinds = ['street', 'community', 'department', 'organisation'] as const;
export type ManagedKind = (typeof managedKinds)[number];

/** Which kinds of unit each kind may hang under. */
export const parentKinds: Record<string, string[]> = {
  city: ['region'],
  district: ['city'],
  street: ['district'],
  community: ['street'],
  grid: ['community', 'grid'],
  building: ['grid'],
  department: ['district', 'city'],
  organisation: ['city', 'district', 'street', 'community'],
};

const kindNames: Record<string, string> = {
  region: '自治区',
  city: '盟市',
  district: '旗县区',
  street: '苏木乡镇（街道）',
  community: '嘎查村（社区）',
  grid: '网格',
  building: '楼栋',
  department: '职能部门',
  organisation: '单位组织',
};

/**
 * Tables that copy an org path for scope checks without a join. A subtree move rewrites them in the
 * same transaction; modules with such a column add it here. (The audit log keeps the path as it was.)
 */
export const pathColumns: { table: string; column: string }[] = [
  { table: 'role_assignment', column: 'org_path' },
  { table: 'account_request', column: 'org_path' },
  { table: 'job', column: 'org_path' },
  { table: 'file', column: 'org_path' },
  { table: 'house', column: 'org_path' },
  { table: 'household', column: 'org_path' },
  { table: 'resident', column: 'org_path' },
  { table: 'resident_visit', column: 'org_path' },
  { table: 'work_order', column: 'org_path' },
  { table: 'work_order', column: 'handler_path' },
  { table: 'work_order_whistle', column: 'department_path' },
];

async function loadParent(ex: Executor, caller: Caller, kind: string, parentId: string) {
  const parent = await findOrgUnit(ex, parentId);
  if (!parent) throw invalid('parentId', '上级单位不存在');
  if (!parentKinds[kind]?.includes(parent.kind))
    throw invalid(
      'parentId',
      `${kindNames[kind]}只能设在${parentKinds[kind].map((k) => kindNames[k]).join('或')}之下`,
    );
  authorize(caller.user, 'org.write', parent.path, { outside: 'forbidden' });
  return parent;
}

/** The district code a unit's children carry (a district's own, else the one it carries). */
const districtCodeOf = (unit: OrgUnit): string | null =>
  unit.kind === 'district' ? unit.code.slice(0, 6) : unit.districtCode;

export interface NewUnit {
  kind: ManagedKind;
  parentId: string;
  name: string;
  shortName?: string;
  subtype?: string;
  /** The 9- (street) or 12-digit (community) division code; generated for departments and organisations. */
  code?: string;
}

export async function createOrgUnit(ctx: AppContext, caller: Caller, input: NewUnit) {
  return ctx.db.transaction(async (tx) => {
    const parent = await loadParent(tx, caller, input.kind, input.parentId);
    const code = await codeFor(tx, parent, input);
    const [taken] = await tx.select({ id: orgUnit.id }).from(orgUnit).where(eq(orgUnit.code, code));
    if (taken) throw invalid('code', `代码 ${code} 已被使用`);
    const [unit] = await tx
      .insert(orgUnit)
      .values({
        kind: input.kind,
        code,
        name: input.name,
        shortName: input.shortName ?? null,
        subtype: input.subtype ?? null,
        parentId: parent.id,
        path: `${parent.path}.${code}`,
        level: parent.level + 1,
        districtCode: districtCodeOf(parent),
      })
      .returning();
    await audit(tx, caller, {
      action: 'org.created',
      targetType: 'orgUnit',
      targetId: unit.id,
      orgPath: unit.path,
      summary: `新建${kindNames[unit.kind]} ${unit.name}（${code}）`,
    });
    return unit;
  });
}

async function codeFor(ex: Executor, parent: OrgUnit, input: NewUnit): Promise<string> {
  if (input.kind === 'street' || input.kind === 'community') {
    const digits = input.kind === 'street' ? 9 : 12;
    const code = input.code ?? '';
    if (!new RegExp(`^\\d{${digits}}$`).test(code))
      throw invalid('code', `${kindNames[input.kind]}代码应为 ${digits} 位区划代码`);
    if (!code.startsWith(parent.code.slice(0, digits === 9 ? 6 : 9)))
      throw invalid('code', `代码应以上级单位代码 ${parent.code} 开头`);
    return code;
  }
  if (input.code) throw invalid('code', '部门和单位的代码由系统生成');
  const letter = input.kind === 'department' ? 'D' : 'O';
  return nextFreeCode(
    ex,
    parent.id,
    input.kind,
    (n) => `${parent.code}${letter}${String(n).padStart(2, '0')}`,
  );
}

async function loadManaged(ex: Executor, caller: Caller, id: string) {
  const unit = await findOrgUnit(ex, id);
  if (!unit) throw notFound();
  authorize(caller.user, 'org.read', unit.path);
  authorize(caller.user, 'org.write', unit.path, { outside: 'forbidden' });
  return unit;
}

export async function updateOrgUnit(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: { name?: string; shortName?: string | null; subtype?: string | null; sort?: number },
) {
  return ctx.db.transaction(async (tx) => {
    const unit = await loadManaged(tx, caller, id);
    // updated_at always: an edit that names no column (or only unchanged ones) is still a valid update.
    const [updated] = await tx
      .update(orgUnit)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(orgUnit.id, unit.id))
      .returning();
    const changed = Object.keys(input).filter((k) => (unit as any)[k] !== (input as any)[k]);
    await audit(tx, caller, {
      action: 'org.updated',
      targetType: 'orgUnit',
      targetId: unit.id,
      orgPath: unit.path,
      summary: `修改${kindNames[unit.kind]} ${unit.name}${input.name && input.name !== unit.name ? ` → ${input.name}` : ''}`,
      details: { before: Object.fromEntries(changed.map((k) => [k, (unit as any)[k]])), after: input },
    });
    return updated;
  });
}

/**
 * Moves a unit and everything under it to a new parent in one transaction: the paths, levels and
 * district codes of the subtree, and every path copied elsewhere for scope checks.
 */
export async function moveOrgUnit(ctx: AppContext, caller: Caller, id: string, parentId: string) {
  const moved = await ctx.db.transaction(async (tx) => {
    const unit = await loadManaged(tx, caller, id);
    if (['region', 'city', 'district'].includes(unit.kind))
      throw invalid('parentId', '盟市、旗县区的隶属关系以行政区划为准，不能在此移动');
    const parent = await loadParent(tx, caller, unit.kind, parentId);
    if (parent.path === unit.path || parent.path.startsWith(`${unit.path}.`))
      throw invalid('parentId', '不能移到自己或自己的下级之下');
    if (parent.id === unit.parentId) throw invalid('parentId', '已在该上级单位之下');
    const oldPath = unit.path;
    const newPath = `${parent.path}.${unit.code}`;
    const shift = parent.level + 1 - unit.level;
    const district = districtCodeOf(parent);
    const subtree = sql`path <@ ${oldPath}::ltree`;
    // The moved unit's own path becomes newPath; its descendants keep their tail below it.
    const rewrite = (column: string) => {
      const col = sql.identifier(column);
      return sql`${col} = case when nlevel(${col}) = nlevel(${oldPath}::ltree) then ${newPath}::ltree
        else ${newPath}::ltree || subpath(${col}, nlevel(${oldPath}::ltree)) end`;
    };
    await tx.execute(sql`update org_unit set ${rewrite('path')}, level = level + ${shift},
      district_code = coalesce(${district}, district_code), updated_at = now()
      where ${subtree}`);
    await tx.execute(sql`update org_unit set parent_id = ${parent.id}::uuid where id = ${unit.id}::uuid`);
    for (const { table, column } of pathColumns)
      await tx.execute(sql`update ${sql.identifier(table)} set ${rewrite(column)}
        where ${sql.identifier(column)} <@ ${oldPath}::ltree`);
    forgetSessions(); // the roles' scopes moved with the unit
    if (district)
      for (const table of ['grid', 'building'])
        await tx.execute(sql`update ${sql.identifier(table)} set district_code = ${district}
          where org_unit_id in (select id from org_unit where path <@ ${newPath}::ltree)`);
    const [{ n }] = rowsOf<{ n: number }>(
      await tx.execute(sql`select count(*)::int as n from org_unit where path <@ ${newPath}::ltree`),
    );
    await audit(tx, caller, {
      action: 'org.moved',
      targetType: 'orgUnit',
      targetId: unit.id,
      orgPath: newPath,
      summary: `将${kindNames[unit.kind]} ${unit.name} 及其下 ${n - 1} 个单位移至 ${parent.name}`,
      details: { from: oldPath, to: newPath },
    });
    return { id: unit.id, moved: n };
  });
  gridIndexFor(ctx.db).invalidate();
  return moved;
}

/** Retires a unit (soft delete, kept in history); one with live units under it cannot be. */
export async function deleteOrgUnit(ctx: AppContext, caller: Caller, id: string) {
  await ctx.db.transaction(async (tx) => {
    const unit = await loadManaged(tx, caller, id);
    if (!(managedKinds as readonly string[]).includes(unit.kind))
      throw invalid('id', '只能在此撤销街道、社区、部门和单位；网格、楼栋请在各自页面删除');
    const [child] = await tx
      .select({ id: orgUnit.id })
      .from(orgUnit)
      .where(and(eq(orgUnit.parentId, unit.id), isNull(orgUnit.deletedAt)))
      .limit(1);
    if (child) throw conflict('error.ORG_HAS_CHILDREN');
    const [holder] = rowsOf(
      await tx.execute(sql`select 1 from role_assignment where org_unit_id = ${unit.id}::uuid
        and revoked_at is null limit 1`),
    );
    if (holder) throw conflict('error.ORG_HAS_STAFF');
    await tx.update(orgUnit).set({ deletedAt: new Date() }).where(eq(orgUnit.id, unit.id));
    await audit(tx, caller, {
      action: 'org.deleted',
      targetType: 'orgUnit',
      targetId: unit.id,
      orgPath: unit.path,
      summary: `撤销${kindNames[unit.kind]} ${unit.name}（${unit.code}）`,
    });
  });
}
