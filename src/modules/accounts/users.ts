import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, ilike, isNull, or, type SQL, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, scopeFilter } from '../../platform/auth/authorize.js';
import { hashPassword } from '../../platform/auth/password.js';
import { type Role, staffRoles } from '../../platform/auth/permissions.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { findOrgUnit } from '../org/units.js';
import { mayGrant, mayManage } from './grants.js';
import { loginPhone, shownUsername } from './phone-login.js';
import { roleAssignment, user } from './schema.js';
import { assignRole, createUser } from './service.js';
import { forgetSessions, revokeSessions } from './sessions.js';

const generatedPassword = () => `Gr${randomBytes(9).toString('base64url')}7`;

/** Users with an assignment inside the caller's subtree for `user.read`. */
function visibleUsers(caller: Caller): SQL {
  const scope = scopeFilter(caller.user, 'user.read', sql`coalesce(${roleAssignment.orgPath}, ''::ltree)`);
  return sql`exists (select 1 from ${roleAssignment} where ${roleAssignment.userId} = ${user.id}
    and ${roleAssignment.revokedAt} is null and ${scope})`;
}

async function assignmentsOf(ex: Executor, userIds: string[]) {
  if (userIds.length === 0) return new Map<string, any[]>();
  const rows =
    await ex.execute(sql`select ra.id, ra.user_id as "userId", ra.role, ra.org_unit_id as "orgUnitId",
      ra.org_path::text as "orgPath", ra.status, o.name as "orgName"
    from role_assignment ra left join org_unit o on o.id = ra.org_unit_id
    where ra.revoked_at is null and ra.user_id in (${sql.join(
      userIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})
    order by ra.created_at`);
  const map = new Map<string, any[]>();
  for (const r of rowsOf<any>(rows)) {
    const { userId, ...a } = r;
    map.set(userId, [...(map.get(userId) ?? []), a]);
  }
  return map;
}

function describeUser(u: typeof user.$inferSelect, assignments: any[]) {
  return {
    id: u.id,
    username: shownUsername(u.username),
    displayName: u.displayName,
    kind: u.kind as 'staff' | 'resident',
    status: u.status as 'active' | 'disabled' | 'pending',
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
    assignments,
  };
}

export interface UserQuery {
  page: number;
  pageSize: number;
  q?: string;
  status?: string;
  role?: string;
  orgUnitId?: string;
  sort?: 'username' | 'displayName' | 'createdAt' | 'lastLoginAt';
  order?: 'asc' | 'desc';
}

export async function listUsers(ctx: AppContext, caller: Caller, q: UserQuery) {
  const where: SQL[] = [visibleUsers(caller)];
  if (q.q) {
    // A whole phone finds its account by the keyed hash (usernames hold only masked phones).
    const phone = loginPhone(q.q);
    where.push(
      phone
        ? eq(user.phoneHash, ctx.pii.blindIndex(phone))
        : or(ilike(user.username, `%${q.q}%`), ilike(user.displayName, `%${q.q}%`))!,
    );
  }
  if (q.status) where.push(eq(user.status, q.status));
  if (q.role) {
    where.push(sql`exists (select 1 from ${roleAssignment} where ${roleAssignment.userId} = ${user.id}
      and ${roleAssignment.revokedAt} is null and ${roleAssignment.role} = ${q.role})`);
  }
  if (q.orgUnitId) {
    const unit = await findOrgUnit(ctx.db, q.orgUnitId);
    if (!unit) return { items: [], total: 0 };
    where.push(sql`exists (select 1 from ${roleAssignment} where ${roleAssignment.userId} = ${user.id}
      and ${roleAssignment.revokedAt} is null and ${roleAssignment.orgPath} <@ ${unit.path}::ltree)`);
  }
  const column = {
    username: user.username,
    displayName: user.displayName,
    createdAt: user.createdAt,
    lastLoginAt: user.lastLoginAt,
  }[q.sort ?? 'createdAt'];
  const rows = await ctx.db
    .select({ u: user, total: sql<number>`count(*) over()`.mapWith(Number) })
    .from(user)
    .where(and(...where))
    .orderBy(q.order === 'asc' ? asc(column) : desc(column), asc(user.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const assignments = await assignmentsOf(
    ctx.db,
    rows.map((r) => r.u.id),
  );
  return {
    items: rows.map((r) => describeUser(r.u, assignments.get(r.u.id) ?? [])),
    total: rows[0]?.total ?? 0,
  };
}

async function findVisible(ex: Executor, caller: Caller, id: string) {
  const [row] = await ex
    .select()
    .from(user)
    .where(and(eq(user.id, id), visibleUsers(caller)));
  if (!row) throw notFound();
  return row;
}

/**
 * An account the caller may manage: visible to them (404 otherwise, existence must not leak), and
 * every role it holds lies inside their subtree and below their level (403 otherwise, see mayManage).
 * The row is locked so a role granted meanwhile cannot slip past the check.
 */
async function findManageable(ex: Executor, caller: Caller, id: string) {
  const row = await findVisible(ex, caller, id);
  await ex.select({ id: user.id }).from(user).where(eq(user.id, row.id)).for('update');
  const held = await ex
    .select({ role: roleAssignment.role, orgPath: roleAssignment.orgPath })
    .from(roleAssignment)
    .where(and(eq(roleAssignment.userId, row.id), isNull(roleAssignment.revokedAt)));
  if (!mayManage(caller.user!, held)) throw forbidden();
  return row;
}

export async function getUser(ctx: AppContext, caller: Caller, id: string) {
  const u = await findVisible(ctx.db, caller, id);
  return describeUser(u, (await assignmentsOf(ctx.db, [u.id])).get(u.id) ?? []);
}

async function unitForGrant(ex: Executor, caller: Caller, role: Role, orgUnitId: string | null) {
  if (!staffRoles.includes(role))
    throw invalid('role', '居民、党员、志愿者身份须经注册和审核取得，不能在此分配');
  const unit = orgUnitId ? await findOrgUnit(ex, orgUnitId) : null;
  if (orgUnitId && !unit) throw invalid('orgUnitId', '组织不存在');
  if (!unit && role !== 'systemAdmin') throw invalid('orgUnitId', '请选择所属组织');
  authorize(caller.user, 'user.manage', unit?.path ?? null, { outside: 'forbidden' });
  if (!mayGrant(caller.user, role, unit?.path ?? null)) throw forbidden();
  return unit;
}

export interface NewStaff {
  username: string;
  displayName: string;
  password?: string;
  role: Role;
  orgUnitId: string | null;
}

export async function createStaff(ctx: AppContext, caller: Caller, input: NewStaff) {
  return ctx.db.transaction(async (tx) => {
    const unit = await unitForGrant(tx, caller, input.role, input.orgUnitId);
    const [taken] = await tx.select({ id: user.id }).from(user).where(eq(user.username, input.username));
    if (taken) throw invalid('username', '用户名已被使用');
    const password = input.password ?? generatedPassword();
    const u = await createUser(tx, {
      username: input.username,
      displayName: input.displayName,
      password,
      mustChangePassword: !input.password,
      createdBy: caller.user!.id,
    });
    await assignRole(tx, {
      userId: u.id,
      role: input.role,
      orgUnitId: unit?.id ?? null,
      orgPath: unit?.path ?? null,
      createdBy: caller.user!.id,
    });
    await audit(tx, caller, {
      action: 'user.created',
      targetType: 'user',
      targetId: u.id,
      orgPath: unit?.path,
      summary: `创建账号 ${shownUsername(u.username)}（${input.role}）`,
    });
    const described = describeUser(u, (await assignmentsOf(tx, [u.id])).get(u.id) ?? []);
    return { ...described, initialPassword: input.password ? null : password };
  });
}

function refuseSelf(caller: Caller, id: string) {
  if (caller.user!.id === id) throw forbidden();
}

export async function updateUser(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: { displayName?: string; status?: 'active' | 'disabled' },
) {
  return ctx.db.transaction(async (tx) => {
    const u = await findManageable(tx, caller, id);
    if (input.status) refuseSelf(caller, id);
    // updated_at always, so a body with no field is never an empty SET.
    const [updated] = await tx
      .update(user)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(user.id, u.id))
      .returning();
    forgetSessions();
    if (input.status === 'disabled') await revokeSessions(tx, { userId: u.id });
    await audit(tx, caller, {
      action:
        input.status === 'disabled'
          ? 'user.disabled'
          : input.status === 'active'
            ? 'user.enabled'
            : 'user.updated',
      targetType: 'user',
      targetId: u.id,
      summary: `修改账号 ${shownUsername(u.username)}`,
    });
    return describeUser(updated, (await assignmentsOf(tx, [u.id])).get(u.id) ?? []);
  });
}

export async function grantRole(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: { role: Role; orgUnitId: string | null },
) {
  refuseSelf(caller, id);
  return ctx.db.transaction(async (tx) => {
    const u = await findManageable(tx, caller, id);
    const unit = await unitForGrant(tx, caller, input.role, input.orgUnitId);
    const [dup] = await tx
      .select({ id: roleAssignment.id })
      .from(roleAssignment)
      .where(
        and(
          eq(roleAssignment.userId, u.id),
          eq(roleAssignment.role, input.role),
          unit ? eq(roleAssignment.orgUnitId, unit.id) : isNull(roleAssignment.orgUnitId),
          isNull(roleAssignment.revokedAt),
        ),
      );
    if (dup) throw conflict('error.CONFLICT');
    await assignRole(tx, {
      userId: u.id,
      role: input.role,
      orgUnitId: unit?.id ?? null,
      orgPath: unit?.path ?? null,
      createdBy: caller.user!.id,
    });
    await audit(tx, caller, {
      action: 'user.roleAssigned',
      targetType: 'user',
      targetId: u.id,
      orgPath: unit?.path,
      summary: `为 ${shownUsername(u.username)} 分配角色 ${input.role}${unit ? ` @ ${unit.name}` : ''}`,
    });
    return describeUser(u, (await assignmentsOf(tx, [u.id])).get(u.id) ?? []);
  });
}

export async function revokeRole(ctx: AppContext, caller: Caller, id: string, assignmentId: string) {
  refuseSelf(caller, id);
  return ctx.db.transaction(async (tx) => {
    const u = await findManageable(tx, caller, id);
    const [a] = await tx
      .select()
      .from(roleAssignment)
      .where(
        and(
          eq(roleAssignment.id, assignmentId),
          eq(roleAssignment.userId, u.id),
          isNull(roleAssignment.revokedAt),
        ),
      );
    if (!a) throw notFound();
    authorize(caller.user, 'user.manage', a.orgPath, { outside: 'forbidden' });
    if (!mayGrant(caller.user, a.role as Role, a.orgPath)) throw forbidden();
    await tx.update(roleAssignment).set({ revokedAt: new Date() }).where(eq(roleAssignment.id, a.id));
    forgetSessions();
    await audit(tx, caller, {
      action: 'user.roleRevoked',
      targetType: 'user',
      targetId: u.id,
      orgPath: a.orgPath,
      summary: `撤销 ${shownUsername(u.username)} 的角色 ${a.role}`,
    });
    return describeUser(u, (await assignmentsOf(tx, [u.id])).get(u.id) ?? []);
  });
}

export async function resetPassword(ctx: AppContext, caller: Caller, id: string) {
  refuseSelf(caller, id);
  const password = generatedPassword();
  await ctx.db.transaction(async (tx) => {
    const u = await findManageable(tx, caller, id);
    // Hashed only once the caller is known to be allowed: a refusal costs no argon2 work.
    const passwordHash = await hashPassword(password);
    await tx
      .update(user)
      .set({ passwordHash, mustChangePassword: true, failedLogins: 0, lockedUntil: null })
      .where(eq(user.id, u.id));
    await revokeSessions(tx, { userId: u.id });
    await audit(tx, caller, {
      action: 'user.passwordReset',
      targetType: 'user',
      targetId: u.id,
      summary: `重置 ${shownUsername(u.username)} 的密码`,
    });
  });
  return { password };
}

export async function revokeUserSessions(ctx: AppContext, caller: Caller, id: string) {
  return ctx.db.transaction(async (tx) => {
    const u = await findManageable(tx, caller, id);
    const revoked = await revokeSessions(tx, { userId: u.id });
    await audit(tx, caller, {
      action: 'user.sessionsRevoked',
      targetType: 'user',
      targetId: u.id,
      summary: `强制下线 ${revoked} 个会话`,
    });
    return { revoked };
  });
}

export async function updateSelf(ctx: AppContext, caller: Caller, input: { displayName: string }) {
  await ctx.db.transaction(async (tx) => {
    await tx.update(user).set({ displayName: input.displayName }).where(eq(user.id, caller.user!.id));
    forgetSessions();
    await audit(tx, caller, {
      action: 'user.updated',
      targetType: 'user',
      targetId: caller.user!.id,
      summary: '修改本人姓名',
    });
  });
}
