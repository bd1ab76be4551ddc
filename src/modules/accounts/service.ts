import { and, eq, isNull, sql } from 'drizzle-orm';
import { t } from '../../i18n/index.js';
import { audit } from '../../platform/audit/service.js';
import { activeAssignments, type SessionUser } from '../../platform/auth/authorize.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../platform/auth/password.js';
import { type Action, permissions, type Role } from '../../platform/auth/permissions.js';
import type { AppContext, Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { maskPiiInText } from '../../platform/pii-text.js';
import { loginPhone, shownUsername } from './phone-login.js';
import { roleAssignment, session, user } from './schema.js';
import { createSession, forgetSessions, loadAssignments, revokeSessions } from './sessions.js';

export const maxFailedLogins = 5;
export const lockMinutes = 15;

// Verifying against this when the user does not exist keeps the timing the same (no user enumeration).
let dummyHash: Promise<string> | null = null;

export interface LoginInput {
  username: string;
  password: string;
  userAgent?: string;
}

/** The account a login name opens: a phone by its keyed hash, anything else by username. */
export async function findUserByLogin(ctx: AppContext, login: string) {
  const phone = loginPhone(login);
  if (phone) {
    const [byPhone] = await ctx.db
      .select()
      .from(user)
      .where(and(eq(user.phoneLogin, true), eq(user.phoneHash, ctx.pii.blindIndex(phone))));
    if (byPhone) return byPhone;
  }
  const [byName] = await ctx.db
    .select()
    .from(user)
    .where(and(eq(user.username, login), eq(user.phoneLogin, false)));
  return byName;
}

export async function login(ctx: AppContext, caller: Caller, input: LoginInput) {
  const found = await findUserByLogin(ctx, input.username);
  if (!found) {
    dummyHash ??= hashPassword('grassroots-dummy-password-1');
    await verifyPassword(await dummyHash, input.password);
    await audit(ctx.db, caller, {
      action: 'auth.loginFailed',
      targetType: 'user',
      summary: `未知用户名 ${maskPiiInText(input.username).slice(0, 40)}`,
    });
    throw new AppError('LOGIN_FAILED', 401, 'error.LOGIN_FAILED');
  }
  if (found.lockedUntil && found.lockedUntil.getTime() > Date.now()) {
    const minutes = Math.ceil((found.lockedUntil.getTime() - Date.now()) / 60_000);
    throw new AppError('ACCOUNT_LOCKED', 423, 'error.ACCOUNT_LOCKED', { minutes });
  }
  if (!(await verifyPassword(found.passwordHash, input.password))) {
    const failed = found.failedLogins + 1;
    const lock = failed >= maxFailedLogins;
    await ctx.db.transaction(async (tx) => {
      await tx
        .update(user)
        .set({
          failedLogins: lock ? 0 : failed,
          lockedUntil: lock ? new Date(Date.now() + lockMinutes * 60_000) : found.lockedUntil,
        })
        .where(eq(user.id, found.id));
      await audit(tx, caller, {
        action: lock ? 'auth.locked' : 'auth.loginFailed',
        targetType: 'user',
        targetId: found.id,
        summary: lock ? `连续 ${failed} 次密码错误，锁定 ${lockMinutes} 分钟` : `密码错误（第 ${failed} 次）`,
      });
    });
    if (lock) throw new AppError('ACCOUNT_LOCKED', 423, 'error.ACCOUNT_LOCKED', { minutes: lockMinutes });
    throw new AppError('LOGIN_FAILED', 401, 'error.LOGIN_FAILED');
  }
  if (found.status !== 'active') throw new AppError('ACCOUNT_DISABLED', 403, 'error.ACCOUNT_DISABLED');
  return ctx.db.transaction(async (tx) => {
    await tx
      .update(user)
      .set({ failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() })
      .where(eq(user.id, found.id));
    const created = await createSession(tx, ctx, found.id, { ip: caller.ip, userAgent: input.userAgent });
    await audit(
      tx,
      { ...caller, user: { ...sessionUserStub(found), sessionId: created.id } },
      {
        action: 'auth.login',
        targetType: 'user',
        targetId: found.id,
        summary: '登录成功',
      },
    );
    return { token: created.token, sessionId: created.id, userId: found.id };
  });
}

function sessionUserStub(u: typeof user.$inferSelect): SessionUser {
  return {
    id: u.id,
    username: shownUsername(u.username),
    displayName: u.displayName,
    kind: u.kind as SessionUser['kind'],
    assignments: [],
    actingAssignmentId: null,
    sessionId: '',
    mustChangePassword: u.mustChangePassword,
  };
}

export async function logout(ctx: AppContext, caller: Caller) {
  const me = caller.user!;
  await ctx.db.transaction(async (tx) => {
    await revokeSessions(tx, { userId: me.id, sessionId: me.sessionId });
    await audit(tx, caller, { action: 'auth.logout', targetType: 'user', targetId: me.id });
  });
}

/** The signed-in user as the web app sees them: assignments, the one acted in, and the allowed actions. */
export function describeMe(me: SessionUser) {
  const allowed = new Set<Action>();
  for (const a of activeAssignments(me)) for (const action of permissions[a.role]) allowed.add(action);
  return {
    id: me.id,
    username: me.username,
    displayName: me.displayName,
    kind: me.kind,
    assignments: me.assignments,
    actingAssignmentId: me.actingAssignmentId,
    // Until then every route but these three answers 403 PASSWORD_CHANGE_REQUIRED (password-gate.ts).
    mustChangePassword: me.mustChangePassword ?? false,
    permissions: [...allowed].sort(),
  };
}

export async function loadMe(ctx: AppContext, userId: string, sessionId: string) {
  const [u] = await ctx.db.select().from(user).where(eq(user.id, userId));
  const [s] = await ctx.db.select().from(session).where(eq(session.id, sessionId));
  return describeMe({
    ...sessionUserStub(u),
    assignments: await loadAssignments(ctx.db, userId),
    actingAssignmentId: s?.actingAssignmentId ?? null,
    sessionId,
  });
}

export async function changePassword(
  ctx: AppContext,
  caller: Caller,
  input: { current: string; next: string },
) {
  const me = caller.user!;
  const [u] = await ctx.db.select().from(user).where(eq(user.id, me.id));
  if (!(await verifyPassword(u.passwordHash, input.current)))
    throw invalid('current', t('error.WRONG_PASSWORD', undefined, caller.locale));
  // A phone account's password must not contain the phone, as a staff password must not contain the name.
  const name = u.phoneLogin && u.phoneEnc ? ctx.pii.decrypt(u.phoneEnc) : u.username;
  const problem = passwordProblem(input.next, name);
  if (problem) throw invalid('next', t(problem, undefined, caller.locale));
  const passwordHash = await hashPassword(input.next);
  await ctx.db.transaction(async (tx) => {
    await tx.update(user).set({ passwordHash, mustChangePassword: false }).where(eq(user.id, me.id));
    forgetSessions();
    // Other devices must sign in again with the new password.
    await tx
      .update(session)
      .set({ revokedAt: sql`now()` })
      .where(
        and(eq(session.userId, me.id), isNull(session.revokedAt), sql`${session.id} <> ${me.sessionId}`),
      );
    await audit(tx, caller, {
      action: 'user.passwordChanged',
      targetType: 'user',
      targetId: me.id,
      summary: '修改密码',
    });
  });
}

export async function listOwnSessions(ctx: AppContext, caller: Caller) {
  const me = caller.user!;
  const rows = await ctx.db
    .select()
    .from(session)
    .where(and(eq(session.userId, me.id), isNull(session.revokedAt), sql`${session.expiresAt} > now()`))
    .orderBy(sql`${session.lastSeenAt} desc`);
  return rows.map((s) => ({
    id: s.id,
    ip: s.ip,
    userAgent: s.userAgent,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    expiresAt: s.expiresAt,
    current: s.id === me.sessionId,
  }));
}

export async function revokeOwnSession(ctx: AppContext, caller: Caller, sessionId: string) {
  const me = caller.user!;
  await ctx.db.transaction(async (tx) => {
    const n = await revokeSessions(tx, { userId: me.id, sessionId });
    if (n === 0) throw notFound();
    await audit(tx, caller, { action: 'auth.sessionRevoked', targetType: 'session', targetId: sessionId });
  });
}

/** Acts in one assignment (or, with null, in all of them) for the rest of this session. */
export async function actAs(ctx: AppContext, caller: Caller, assignmentId: string | null) {
  const me = caller.user!;
  if (assignmentId && !me.assignments.some((a) => a.id === assignmentId)) throw notFound();
  await ctx.db.update(session).set({ actingAssignmentId: assignmentId }).where(eq(session.id, me.sessionId));
  forgetSessions();
  return loadMe(ctx, me.id, me.sessionId);
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  kind?: 'staff' | 'resident';
  mustChangePassword?: boolean;
  createdBy?: string | null;
}

/** Creates an account (policy-checked password). Roles are assigned separately. */
export async function createUser(ex: Executor, input: NewUser, opts: { skipPolicy?: boolean } = {}) {
  if (!opts.skipPolicy) {
    const problem = passwordProblem(input.password, input.username);
    if (problem) throw invalid('password', t(problem));
  }
  const [row] = await ex
    .insert(user)
    .values({
      username: input.username,
      displayName: input.displayName,
      kind: input.kind ?? 'staff',
      passwordHash: await hashPassword(input.password),
      mustChangePassword: input.mustChangePassword ?? false,
      createdBy: input.createdBy ?? null,
    })
    .returning();
  return row;
}

export async function assignRole(
  ex: Executor,
  input: {
    userId: string;
    role: Role;
    orgUnitId: string | null;
    orgPath: string | null;
    createdBy?: string | null;
  },
) {
  const [row] = await ex.insert(roleAssignment).values(input).returning();
  forgetSessions();
  return row;
}

export async function findUserByUsername(ex: Executor, username: string) {
  const [row] = await ex.select().from(user).where(eq(user.username, username));
  return row;
}

export async function setPassword(ex: Executor, userId: string, password: string, mustChange: boolean) {
  await ex
    .update(user)
    .set({
      passwordHash: await hashPassword(password),
      mustChangePassword: mustChange,
      failedLogins: 0,
      lockedUntil: null,
    })
    .where(eq(user.id, userId));
}
