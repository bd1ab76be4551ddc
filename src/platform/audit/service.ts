import { and, desc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import type { MessageKey } from '../../i18n/index.js';
import { scopeFilter } from '../auth/authorize.js';
import type { Caller } from '../context.js';
import type { Executor } from '../db/index.js';
import { auditEvent } from './schema.js';

/**
 * Every audit action is named in the catalogue (`audit.<action>` in src/i18n/zh-CN): an action
 * without a Chinese name does not compile, so the audit log never shows a raw key.
 */
export type AuditAction = Extract<MessageKey, `audit.${string}`> extends `audit.${infer A}` ? A : never;

export interface AuditEntry {
  action: AuditAction;
  targetType?: string;
  targetId?: string | null;
  orgPath?: string | null;
  /** Plain words for people; never an ID number, phone or password. */
  summary?: string;
  details?: Record<string, unknown>;
}

/** Appends one audit event in the caller's transaction, so the change and its record commit together. */
export async function audit(ex: Executor, caller: Caller, entry: AuditEntry): Promise<void> {
  await ex.insert(auditEvent).values({
    actorId: caller.user?.id ?? null,
    actorName: caller.user?.username ?? 'system',
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    orgPath: entry.orgPath ?? null,
    summary: entry.summary,
    details: entry.details,
    ip: caller.ip,
    requestId: caller.requestId,
  });
}

export interface AuditQuery {
  page: number;
  pageSize: number;
  action?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

/** Audit events within the caller's subtree (events without a place are visible to system admins only). */
export async function listAuditEvents(db: Executor, caller: Caller, q: AuditQuery) {
  const where: SQL[] = [
    scopeFilter(caller.user, 'audit.read', sql`coalesce(${auditEvent.orgPath}, ''::ltree)`),
  ];
  if (q.action) where.push(eq(auditEvent.action, q.action));
  if (q.actorId) where.push(eq(auditEvent.actorId, q.actorId));
  if (q.targetType) where.push(eq(auditEvent.targetType, q.targetType));
  if (q.targetId) where.push(eq(auditEvent.targetId, q.targetId));
  if (q.from) where.push(gte(auditEvent.at, q.from));
  if (q.to) where.push(lte(auditEvent.at, q.to));
  const rows = await db
    .select({ event: auditEvent, total: sql<number>`count(*) over()`.mapWith(Number) })
    .from(auditEvent)
    .where(and(...where))
    .orderBy(desc(auditEvent.at), desc(auditEvent.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: rows.map((r) => r.event), total: rows[0]?.total ?? 0 };
}
