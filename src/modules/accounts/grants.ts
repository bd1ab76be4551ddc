import { type Assignment, grantsFor, pathWithin, type SessionUser } from '../../platform/auth/authorize.js';
import type { Role } from '../../platform/auth/permissions.js';

/** Seniority of staff roles: a lower number is more senior. */
const rank: Record<Role, number> = {
  systemAdmin: 0,
  cityAdmin: 1,
  districtStaff: 2,
  streetStaff: 3,
  communitySecretary: 4,
  communityWorker: 5,
  departmentStaff: 5,
  gridLeader: 6,
  gridWorker: 7,
  buildingLeader: 8,
  partySecretary: 6,
  partyRecorder: 7,
  partyMember: 9,
  volunteer: 9,
  resident: 9,
};

/** A role an account holds, where. */
export type HeldRole = { role: Role | string; orgPath: string | null };

const covers = (g: Assignment, path: string | null) =>
  path === null ? g.orgPath === null : pathWithin(path, g.orgPath);

/**
 * Does one of the manager's `user.manage` grants cover this role, from strictly above it? A role at
 * the manager's own level is a peer's: managing it (or handing it out) would let one secretary
 * take over another, or a district account through its community role.
 */
function outranks(manager: SessionUser, held: HeldRole): boolean {
  const role = held.role as Role;
  if (!(role in rank)) return false;
  return grantsFor(manager, 'user.manage').some((g) => covers(g, held.orgPath) && rank[g.role] < rank[role]);
}

/** May `manager` give `role` at the unit with `path`? Only below their own level, inside their subtree. */
export function mayGrant(manager: SessionUser, role: Role, path: string | null): boolean {
  return outranks(manager, { role, orgPath: path });
}

/**
 * May `manager` manage an account (reset its password, disable it, change its roles, end its
 * sessions)? Only when every role it holds lies inside the manager's subtree and below their level:
 * one senior or outside role puts the whole account out of reach.
 */
export function mayManage(manager: SessionUser, held: HeldRole[]): boolean {
  return held.length > 0 && held.every((h) => outranks(manager, h));
}
