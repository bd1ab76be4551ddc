import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Assignment, SessionUser } from '../../platform/auth/authorize.js';
import type { Role } from '../../platform/auth/permissions.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { randomToken, sha256 } from '../../platform/crypto.js';
import type { Executor } from '../../platform/db/index.js';
import { orgUnit } from '../org/schema.js';
import { roleAssignment, session, user } from './schema.js';

export interface ResolvedSession {
  user: SessionUser | null;
  expired: boolean;
}

/** Looks up a token: revoked, idle-timed-out or past its absolute lifetime → no user. */
export async function resolveSession(ctx: AppContext, token: string): Promise<ResolvedSession> {
  const [row] = await ctx.db
    .select({ s: session, u: user })
    .from(session)
    .innerJoin(user, eq(user.id, session.userId))
    .where(eq(session.tokenHash, sha256(token)));
  if (!row || row.s.revokedAt || row.u.status !== 'active') return { user: null, expired: false };
  const now = Date.now();
  const idleMs = ctx.config.SESSION_IDLE_MINUTES * 60_000;
  if (row.s.expiresAt.getTime() < now || row.s.lastSeenAt.getTime() + idleMs < now) {
    return { user: null, expired: true };
  }
  // Touch at most once a minute: enough for the idle timeout, cheap for busy clients.
  if (now - row.s.lastSeenAt.getTime() > 60_000) {
    await ctx.db
      .update(session)
      .set({ lastSeenAt: new Date(now) })
      .where(eq(session.id, row.s.id));
  }
  return {
    expired: false,
    user: {
      id: row.u.id,
      username: row.u.username,
      displayName: row.u.displayName,
      kind: row.u.kind as SessionUser['kind'],
      assignments: await loadAssignments(ctx.db, row.u.id),
      actingAssignmentId: row.s.actingAssignmentId,
      sessionId: row.s.id,
    },
  };
}

export async function loadAssignments(ex: Executor, userId: string): Promise<Assignment[]> {
  const rows = await ex
    .select({
      id: roleAssignment.id,
      role: roleAssignment.role,
      orgUnitId: roleAssignment.orgUnitId,
      orgPath: roleAssignment.orgPath,
      orgName: orgUnit.name,
    })
    .from(roleAssignment)
    .leftJoin(orgUnit, eq(orgUnit.id, roleAssignment.orgUnitId))
    .where(
      and(
        eq(roleAssignment.userId, userId),
        isNull(roleAssignment.revokedAt),
        eq(roleAssignment.status, 'active'),
      ),
    )
    .orderBy(roleAssignment.createdAt);
  return rows.map((r) => ({ ...r, role: r.role as Role }));
}

export async function createSession(
  ex: Executor,
  ctx: AppContext,
  userId: string,
  meta: { ip: string | null; userAgent?: string },
): Promise<{ token: string; id: string }> {
  const token = randomToken();
  const [row] = await ex
    .insert(session)
    .values({
      tokenHash: sha256(token),
      userId,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 300),
      expiresAt: new Date(Date.now() + ctx.config.SESSION_ABSOLUTE_HOURS * 3_600_000),
    })
    .returning({ id: session.id });
  return { token, id: row.id };
}

export async function revokeSessions(ex: Executor, where: { userId: string; sessionId?: string }) {
  const conds = [eq(session.userId, where.userId), isNull(session.revokedAt)];
  if (where.sessionId) conds.push(eq(session.id, where.sessionId));
  const rows = await ex
    .update(session)
    .set({ revokedAt: sql`now()` })
    .where(and(...conds))
    .returning({ id: session.id });
  return rows.length;
}

/**
 * The caller a background job acts as: the user who started it, with their assignments as they
 * are now (a role revoked since is no longer honoured).
 */
export async function callerForUser(ex: Executor, userId: string): Promise<Caller> {
  const [u] = await ex.select().from(user).where(eq(user.id, userId));
  if (!u || u.status !== 'active') throw new Error('the user who started this job is no longer active');
  return {
    ip: null,
    requestId: null,
    locale: 'zh-CN',
    user: {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      kind: u.kind as SessionUser['kind'],
      assignments: await loadAssignments(ex, u.id),
      actingAssignmentId: null,
      sessionId: '',
    },
  };
}
