import { grantsFor, pathWithin, type SessionUser } from '../../platform/auth/authorize.js';
import type { Role } from '../../platform/auth/permissions.js';

/** Seniority of staff roles: one may grant only roles at or below one's own, inside one's subtree. */
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
  partyMember: 9,
  volunteer: 9,
  resident: 9,
};

/** May `manager` give `role` at the unit with `path`? (Pure: decided from their session alone.) */
export function mayGrant(manager: SessionUser, role: Role, path: string | null): boolean {
  return grantsFor(manager, 'user.manage').some((g) => {
    const covers = path === null ? g.orgPath === null : pathWithin(path, g.orgPath);
    return covers && rank[g.role] <= rank[role] && (role !== 'systemAdmin' || g.role === 'systemAdmin');
  });
}
