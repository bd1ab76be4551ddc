import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Role } from '../../platform/auth/permissions.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { type Db, type Executor, rowsOf } from '../../platform/db/index.js';
import { notFound } from '../../platform/errors.js';
import { every } from '../../platform/jobs/every.js';
import { LogNotifier, type Notifier } from './notifier.js';
import { notification } from './schema.js';

export interface NewNotification {
  userIds: string[];
  kind: string;
  title: string;
  body?: string;
  link?: string;
  targetType?: string;
  targetId?: string;
}

/**
 * Puts a message in each user's inbox inside the caller's transaction, so it exists exactly when
 * the change it reports does. The outbound channels pick it up after commit (`dispatchPending`).
 */
export async function notify(ex: Executor, _ctx: AppContext, n: NewNotification) {
  const userIds = [...new Set(n.userIds)];
  if (userIds.length === 0) return [];
  return ex
    .insert(notification)
    .values(
      userIds.map((userId) => ({
        userId,
        kind: n.kind,
        title: n.title,
        body: n.body ?? null,
        link: n.link ?? null,
        targetType: n.targetType ?? null,
        targetId: n.targetId ?? null,
      })),
    )
    .returning({ id: notification.id, userId: notification.userId });
}

/**
 * Hands committed, unsent messages to the outbound channels (an outbox: several server processes
 * can share it, each message is claimed once). Returns how many were sent.
 */
export async function dispatchPending(db: Db, notifiers: Notifier[], limit = 200): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = rowsOf<{ id: string; userId: string; kind: string; title: string; body: string | null }>(
      await tx.execute(sql`select id, user_id as "userId", kind, title, body from notification
        where sent_at is null order by created_at limit ${limit} for update skip locked`),
    );
    for (const r of rows) for (const n of notifiers) await n.send(r);
    if (rows.length)
      await tx
        .update(notification)
        .set({ sentAt: new Date() })
        .where(
          inArray(
            notification.id,
            rows.map((r) => r.id),
          ),
        );
    return rows.length;
  });
}

/** Polls the outbox every few seconds; returns a function that stops it. */
export function startDispatcher(
  ctx: AppContext,
  everyMs = 3000,
  notifiers: Notifier[] = [new LogNotifier(ctx.log)],
) {
  return every(everyMs, ctx.log, 'notification dispatch', () => dispatchPending(ctx.db, notifiers));
}

/** Active holders of `role` at exactly this unit (the people a unit's queue belongs to). */
export async function usersWithRole(ex: Executor, role: Role, orgUnitId: string): Promise<string[]> {
  const rows = await ex.execute(sql`select distinct ra.user_id as id from role_assignment ra
    join "user" u on u.id = ra.user_id
    where ra.role = ${role} and ra.org_unit_id = ${orgUnitId}::uuid and ra.revoked_at is null
      and u.status = 'active'`);
  return rowsOf<{ id: string }>(rows).map((r) => r.id);
}

export interface InboxQuery {
  page: number;
  pageSize: number;
  unread?: boolean;
  kind?: string;
}

export async function listInbox(ctx: AppContext, caller: Caller, q: InboxQuery) {
  const where = and(
    eq(notification.userId, caller.user!.id),
    q.unread ? isNull(notification.readAt) : undefined,
    q.kind ? eq(notification.kind, q.kind) : undefined,
  );
  const rows = await ctx.db
    .select({ n: notification, total: sql<number>`count(*) over()`.mapWith(Number) })
    .from(notification)
    .where(where)
    .orderBy(desc(notification.createdAt), desc(notification.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map((r) => r.n), total: rows[0]?.total ?? 0 };
}

export async function unreadCount(ctx: AppContext, caller: Caller) {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(notification)
    .where(and(eq(notification.userId, caller.user!.id), isNull(notification.readAt)));
  return row.n;
}

/** Marks the caller's own messages read (all of them when `ids` is omitted). */
export async function markRead(ctx: AppContext, caller: Caller, ids?: string[]) {
  const own = eq(notification.userId, caller.user!.id);
  const updated = await ctx.db
    .update(notification)
    .set({ readAt: new Date() })
    .where(and(own, isNull(notification.readAt), ids ? inArray(notification.id, ids) : undefined))
    .returning({ id: notification.id });
  if (ids?.length === 1 && updated.length === 0) {
    const [exists] = await ctx.db
      .select({ id: notification.id })
      .from(notification)
      .where(and(own, eq(notification.id, ids[0])));
    if (!exists) throw notFound();
  }
  return updated.length;
}
