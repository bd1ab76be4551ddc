import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Assignment, SessionUser } from '../../platform/auth/authorize.js';
import type { Role } from '../../platform/auth/permissions.js';
import type { AppContext, Caller, ResolvedSession } from '../../platform/context.js';
import { randomToken, sha256 } from '../../platform/crypto.js';
import { type Executor, rowsOf } from '../../platform/db/index.js';
import { orgUnit } from '../org/schema.js';
import { shownUsername } from './phone-login.js';
import { roleAssignment, session, user } from './schema.js';

interface SessionRow {
  id: string;
  revoked: boolean;
  lastSeenAt: string | Date;
  expiresAt: string | Date;
  actingAssignmentId: string | null;
  userId: string;
  username: string;
  displayName: string;
  kind: SessionUser['kind'];
  status: string;
  mustChangePassword: boolean;
  assignments: Assignment[];
}

/**
 * Resolved sessions, reused for SESSION_CACHE_MS: a phone or a hotline desk sends bursts of
 * requests, and each would otherwise read the same session, user and roles again. Every change
 * to sessions, accounts or roles made in this process forgets them all at once (forgetSessions);
 * another process's change shows within that window.
 */
const resolved = new WeakMap<AppContext, Map<string, { at: number; row: SessionRow }>>();
let generation = 0;
let cachedGeneration = 0;

export function forgetSessions() {
  generation++;
}

function cacheOf(ctx: AppContext) {
  let cache = resolved.get(ctx);
  if (!cache || cachedGeneration !== generation) {
    cachedGeneration = generation;
    cache = new Map();
    resolved.set(ctx, cache);
  }
  return cache;
}

/**
 * Looks up a token: revoked, idle-timed-out or past its absolute lifetime → no user. One query
 * (session, user and active roles together), reused for a moment: it runs before every
 * authenticated request.
 */
export async function resolveSession(ctx: AppContext, token: string): Promise<ResolvedSession> {
  const hash = sha256(token);
  const cache = cacheOf(ctx);
  const hit = cache.get(hash);
  const row =
    hit && Date.now() - hit.at < ctx.config.SESSION_CACHE_MS ? hit.row : await readSession(ctx, hash);
  if (row !== hit?.row && row && ctx.config.SESSION_CACHE_MS > 0) {
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, { at: Date.now(), row });
  }
  return checkSession(ctx, row);
}

async function readSession(ctx: AppContext, tokenHash: string) {
  const [row] = rowsOf<SessionRow>(
    await ctx.db.execute(sql`select s.id, s.revoked_at is not null as revoked,
        s.last_seen_at as "lastSeenAt", s.expires_at as "expiresAt", s.acting_assignment_id as "actingAssignmentId",
        u.id as "userId", u.username, u.display_name as "displayName", u.kind, u.status,
        u.must_change_password as "mustChangePassword",
        coalesce((select json_agg(json_build_object('id', ra.id, 'role', ra.role, 'orgUnitId', ra.org_unit_id,
            'orgPath', ra.org_path::text, 'orgName', o.name) order by ra.created_at)
          from role_assignment ra left join org_unit o on o.id = ra.org_unit_id
          where ra.user_id = u.id and ra.revoked_at is null and ra.status = 'active'), '[]') as assignments
      from session s join "user" u on u.id = s.user_id
      where s.token_hash = ${tokenHash}`),
  );
  return row as SessionRow | undefined;
}

/** How stale `last_seen_at` may get before a request writes it again: one write a minute per session. */
export const touchIntervalMs = 60_000;

async function checkSession(ctx: AppContext, row: SessionRow | undefined): Promise<ResolvedSession> {
  if (!row || row.revoked || row.status !== 'active') return { user: null, expired: false };
  const now = Date.now();
  const idleMs = ctx.config.SESSION_IDLE_MINUTES * 60_000;
  const lastSeen = new Date(row.lastSeenAt).getTime();
  // The last request may have come up to touchIntervalMs after the recorded last-seen (it was not
  // written then): the idle time counts from that latest possible request, so a session never ends
  // before SESSION_IDLE_MINUTES of real idleness (and at most a minute after).
  if (new Date(row.expiresAt).getTime() < now || lastSeen + touchIntervalMs + idleMs < now) {
    return { user: null, expired: true };
  }
  if (now - lastSeen > touchIntervalMs) {
    row.lastSeenAt = new Date(now);
    await ctx.db
      .update(session)
      .set({ lastSeenAt: new Date(now) })
      .where(eq(session.id, row.id));
  }
  return {
    expired: false,
    user: {
      id: row.userId,
      username: shownUsername(row.username),
      displayName: row.displayName,
      kind: row.kind,
      assignments: typeof row.assignments === 'string' ? JSON.parse(row.assignments) : row.assignments,
      actingAssignmentId: row.actingAssignmentId,
      sessionId: row.id,
      mustChangePassword: row.mustChangePassword,
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
  forgetSessions();
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
      username: shownUsername(u.username),
      displayName: u.displayName,
      kind: u.kind as SessionUser['kind'],
      assignments: await loadAssignments(ex, u.id),
      actingAssignmentId: null,
      sessionId: '',
    },
  };
}
