/**
 * The permission table: which actions each role may perform. A role held at an org unit applies
 * to that unit's subtree. Routes declare one action each; `authorize` and `scopeFilter` read this
 * table, and the authorization-matrix test is generated from it.
 */
export const roles = [
  'systemAdmin',
  'cityAdmin',
  'districtStaff',
  'streetStaff',
  'communitySecretary',
  'communityWorker',
  'gridLeader',
  'gridWorker',
  'buildingLeader',
  'departmentStaff',
  'partySecretary',
  'partyRecorder',
  'partyMember',
  'volunteer',
  'resident',
] as const;
export type Role = (typeof roles)[number];

export const actions = [
  'org.read',
  'org.write',
  'org.import',
  'resident.read',
  'resident.readPII',
  'resident.write',
  'resident.import',
  'resident.export',
  /** An export with full ID numbers and phones: a bulk reveal, granted apart from revealing one record. */
  'resident.exportPII',
  'resident.transfer',
  'workOrder.read',
  'workOrder.create',
  'workOrder.triage',
  'workOrder.dispatch',
  'workOrder.handle',
  'workOrder.verify',
  'workOrder.whistle',
  'workOrder.supervise',
  'workOrder.followUp',
  'workOrder.stats',
  'workOrder.import',
  'workOrder.configure',
  'workOrder.report',
  'user.read',
  'user.manage',
  'account.approve',
  'partyMember.confirm',
  'audit.read',
  'job.read',
  'file.upload',
  'file.read',
  'open311.manage',
  'calendar.manage',
  'party.read',
  'party.manage',
  'party.record',
  'party.review',
  'party.redeem',
  'party.self',
  'party.checkIn',
] as const;
export type Action = (typeof actions)[number];

/** Route-level markers for routes that need no role: anyone, or any signed-in user acting on their own things. */
export type RouteAction = Action | 'public' | 'authenticated';

// Resident-side roles act on their own records only: no subtree-wide reading of files or jobs.
const residentSelf: Action[] = ['file.upload', 'workOrder.report'];
const staffFiles: Action[] = ['job.read', 'file.upload', 'file.read'];
const staffBase: Action[] = [
  ...staffFiles,
  'org.read',
  'resident.read',
  'workOrder.read',
  'workOrder.create',
];
const gridStaff: Action[] = [...staffBase, 'resident.write', 'workOrder.handle'];
const communityStaff: Action[] = [
  ...gridStaff,
  'resident.import',
  'resident.export',
  // 迁入申请: the holding community, and the units above it, decide.
  'resident.transfer',
  'workOrder.triage',
  'workOrder.dispatch',
  'workOrder.verify',
  'workOrder.whistle',
  'workOrder.followUp',
  'workOrder.stats',
  'workOrder.import',
  'user.read',
  'account.approve',
  'audit.read',
  'party.read',
  'party.redeem',
  // 双报到: the community confirms check-ins and services, keeps the post list, rates members
  'party.checkIn',
];
const superviseStaff: Action[] = [...communityStaff, 'workOrder.supervise', 'org.write', 'user.manage'];

export const permissions: Record<Role, readonly Action[]> = {
  systemAdmin: actions,
  cityAdmin: [
    ...superviseStaff,
    'org.import',
    'resident.readPII',
    'resident.exportPII',
    'workOrder.configure',
    'open311.manage',
  ],
  districtStaff: [
    ...superviseStaff,
    'org.import',
    'resident.readPII',
    'resident.exportPII',
    'workOrder.configure',
  ],
  streetStaff: superviseStaff,
  communitySecretary: [
    ...communityStaff,
    'resident.readPII',
    // The secretary answers for the community's register (低保, 高龄 lists to the street); workers and grid staff export masked.
    'resident.exportPII',
    'org.write',
    'user.manage',
    'partyMember.confirm',
    'party.manage',
  ],
  communityWorker: communityStaff,
  gridLeader: [...gridStaff, 'workOrder.dispatch'],
  gridWorker: gridStaff,
  buildingLeader: [...staffFiles, 'org.read', 'resident.read', 'workOrder.create'],
  departmentStaff: [...staffFiles, 'org.read', 'workOrder.read', 'workOrder.handle', 'workOrder.stats'],
  // A branch's secretary and recorder, held at the unit the branch serves: they write that branch only.
  partySecretary: [
    ...staffFiles,
    'org.read',
    'party.read',
    'party.manage',
    'party.record',
    'party.review',
    'party.redeem',
    'party.checkIn',
  ],
  partyRecorder: [...staffFiles, 'org.read', 'party.read', 'party.record'],
  partyMember: [...residentSelf, 'party.self'],
  volunteer: residentSelf,
  resident: residentSelf,
};

export function roleCan(role: Role, action: Action): boolean {
  return permissions[role].includes(action);
}

/** Roles a staff account can be given; resident-side roles come from registration and confirmation. */
export const staffRoles: Role[] = roles.filter((r) => !['partyMember', 'volunteer', 'resident'].includes(r));
