import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { forbidden, notFound, unauthenticated } from '../errors.js';
import { type Action, type Role, roleCan } from './permissions.js';

export interface Assignment {
  id: string;
  role: Role;
  orgUnitId: string | null;
  /** Root of the subtree this role applies to; null = the whole system (systemAdmin). */
  orgPath: string | null;
  orgName: string | null;
}

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  kind: 'staff' | 'resident';
  assignments: Assignment[];
  actingAssignmentId: string | null;
  sessionId: string;
  /** Signed in with a password someone else set (reset or generated): may only change it. */
  mustChangePassword?: boolean;
}

/** The assignments in force: the one acted in, or all of them. */
export function activeAssignments(user: SessionUser): Assignment[] {
  if (!user.actingAssignmentId) return user.assignments;
  const acting = user.assignments.find((a) => a.id === user.actingAssignmentId);
  return acting ? [acting] : user.assignments;
}

export function grantsFor(user: SessionUser, action: Action): Assignment[] {
  return activeAssignments(user).filter((a) => roleCan(a.role, action));
}

export function can(user: SessionUser | null, action: Action): boolean {
  return !!user && grantsFor(user, action).length > 0;
}

/** True when `path` is `root` or lies beneath it. */
export function pathWithin(path: string, root: string | null): boolean {
  return root === null || path === root || path.startsWith(`${root}.`);
}

export interface AuthorizeOptions {
  /** What a target outside the caller's subtree gets: 404 hides that it exists (reads), 403 says no (writes). */
  outside?: 'notFound' | 'forbidden';
}

/**
 * May this user perform this action on a record at this org path? Throws 401/403/404.
 * Without a target only the action is checked.
 */
export function authorize(
  user: SessionUser | null,
  action: Action,
  targetPath?: string | null,
  opts: AuthorizeOptions = {},
): asserts user is SessionUser {
  if (!user) throw unauthenticated();
  const grants = grantsFor(user, action);
  if (grants.length === 0) throw forbidden();
  if (targetPath === undefined) return;
  // A record without a place (null path) belongs to nobody's subtree but the whole system's.
  const ok = grants.some((g) =>
    targetPath === null ? g.orgPath === null : pathWithin(targetPath, g.orgPath),
  );
  if (!ok) throw opts.outside === 'forbidden' ? forbidden() : notFound();
}

/** The subtree predicate every list query applies: `column` lies under one of the user's grants. */
export function scopeFilter(user: SessionUser | null, action: Action, column: AnyPgColumn | SQL): SQL {
  authorize(user, action);
  const roots = grantsFor(user, action).map((g) => g.orgPath);
  if (roots.includes(null)) return sql`true`;
  const unique = [...new Set(roots as string[])];
  return sql`(${sql.join(
    unique.map((p) => sql`${column} <@ ${p}::ltree`),
    sql` or `,
  )})`;
}
