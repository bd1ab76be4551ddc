import { writeFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { accountRequest } from '../../src/modules/accounts/schema.js';
import { callerForUser, createSession } from '../../src/modules/accounts/sessions.js';
import { notify } from '../../src/modules/notifications/service.js';
import { createKey } from '../../src/modules/open311/keys.js';
import { open311Request } from '../../src/modules/open311/schema.js';
import { createRequest } from '../../src/modules/open311/service.js';
import { building, grid } from '../../src/modules/org/schema.js';
import { createHousehold } from '../../src/modules/people/households.js';
import { joinHousehold } from '../../src/modules/people/membership.js';
import { residentTransfer } from '../../src/modules/people/schema.js';
import { shanghaiToday } from '../../src/modules/people/validators.js';
import { intake } from '../../src/modules/work-orders/intake.js';
import { workOrder, workOrderCategory } from '../../src/modules/work-orders/schema.js';
import type { Role } from '../../src/platform/auth/permissions.js';
import { file } from '../../src/platform/files/schema.js';
import { attachFiles } from '../../src/platform/files/service.js';
import { idNumberCheckChar } from '../../src/platform/id-number.js';
import { jobOutputPath } from '../../src/platform/jobs/output.js';
import { job } from '../../src/platform/jobs/schema.js';
import { buildOrgUnit, type OrgUnitRow } from '../factories/org.js';
import { buildHouse, buildResident, factoryCaller } from '../factories/people.js';
import { multipartBody } from '../helpers/multipart.js';
import { partyFixtures } from './party-fixtures.js';
import type { World } from './world.js';

/**
 * Request builders for the authorization matrix, one per route that needs one.
 *
 * Convention: key `METHOD /url/:with/:params` exactly as the route is registered. `request` builds a
 * valid request whose target lies at `place` — the caller's home place for the "inside" case, the
 * mirror place in the other branch for the "outside" case. A route with path parameters and no
 * fixture here fails the matrix test, so every module adds fixtures for its routes.
 * `scoped: false` marks routes without a target record (lists are scoped by filter and tested
 * in their module; self-service routes act on the caller). `outside` is what a target outside the
 * caller's subtree gets: 404 by default (existence must not leak), 403 where the caller names the
 * place themselves (creating or assigning at a unit they may not act in).
 */
export interface Case {
  world: World;
  role: Role;
  caller: { id: string; username: string; headers: { authorization: string } };
  place: OrgUnitRow | null;
  outside: boolean;
}

export interface Built {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

export interface RouteFixture {
  /** null: no target of this kind can lie at this place (a grid inside a department); the case is skipped. */
  request(c: Case): Promise<Built | null>;
  scoped?: boolean;
  outside?: 403 | 404;
}

const png = () =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: '#09c' } })
    .png()
    .toBuffer();

async function uploadAs(c: Case, userId: string, place: OrgUnitRow | null, attach: boolean) {
  const row = await c.world.t.ctx.files.save(c.world.t.ctx.db, await png(), {
    name: 'm.png',
    createdBy: userId,
  });
  if (attach) {
    const caller = { user: { id: userId } as any, ip: null, requestId: null, locale: 'zh-CN' as const };
    await attachFiles(c.world.t.ctx.db, caller, [row.id], {
      ownerType: 'matrix',
      ownerId: row.id,
      orgPath: place?.path ?? null,
    });
  }
  return row;
}

/** The caller's own file inside; someone else's, attached at the place, outside. */
async function fileTarget(c: Case, outside: boolean) {
  if (!outside) return uploadAs(c, c.caller.id, c.place, false);
  const other = await c.world.user('communityWorker', c.place);
  return uploadAs(c, other.id, c.place, true);
}

async function jobTarget(c: Case, outside: boolean) {
  const createdBy = outside ? (await c.world.user('communityWorker', c.place)).id : c.caller.id;
  return c.world.t.ctx.jobs.enqueue(c.world.t.ctx.db, {
    kind: 'matrix.noop',
    createdBy,
    orgPath: c.place?.path ?? null,
  });
}

/** A low-ranked staff user at the place: any manager of that place may act on them. */
const targetUser = (c: Case) => c.world.user('buildingLeader', c.place);

let serial = 0;

/** The branch (A or B) a place belongs to. */
const branchOf = (c: Case, place: OrgUnitRow) =>
  place.path.startsWith(c.world.a.city.path) ? c.world.a : c.world.b;

/** A grid (with its detail row) at or under the place, or null where none can be. */
async function gridAt(c: Case): Promise<OrgUnitRow | null> {
  const place = c.place!;
  if (['building', 'department'].includes(place.kind)) return null;
  const unit = place.kind === 'grid' ? place : branchOf(c, place).grid;
  await c.world.t.ctx.db
    .insert(grid)
    .values({ orgUnitId: unit.id, type: 'basic', districtCode: unit.districtCode! })
    .onConflictDoNothing();
  return unit;
}

async function buildingAt(c: Case): Promise<OrgUnitRow | null> {
  const place = c.place!;
  if (place.kind === 'department') return null;
  const unit = place.kind === 'building' ? place : branchOf(c, place).building;
  await c.world.t.ctx.db
    .insert(building)
    .values({
      orgUnitId: unit.id,
      lng: 110,
      lat: 40,
      qrToken: `qr-${unit.id}`,
      districtCode: unit.districtCode!,
    })
    .onConflictDoNothing();
  return unit;
}

/** A new grid / building of its own, for routes that delete their target. */
async function freshGridAt(c: Case): Promise<OrgUnitRow | null> {
  const place = c.place!;
  if (['building', 'department'].includes(place.kind)) return null;
  const parent = ['community', 'grid'].includes(place.kind) ? place : branchOf(c, place).community;
  const unit = await buildOrgUnit(c.world.t.ctx.db, {
    parent,
    kind: 'grid',
    code: `${parent.code}${String(++serial).padStart(4, '0')}`,
  });
  await c.world.t.ctx.db
    .insert(grid)
    .values({ orgUnitId: unit.id, type: 'basic', districtCode: unit.districtCode! });
  return unit;
}

async function freshBuildingAt(c: Case): Promise<OrgUnitRow | null> {
  const place = c.place!;
  if (place.kind === 'department') return null;
  const parent = place.kind === 'grid' ? place : branchOf(c, place).grid;
  const unit = await buildOrgUnit(c.world.t.ctx.db, {
    parent,
    kind: 'building',
    code: `${parent.code}B${++serial}`,
  });
  await c.world.t.ctx.db.insert(building).values({
    orgUnitId: unit.id,
    lng: 110,
    lat: 40,
    qrToken: `qr-${unit.id}`,
    districtCode: unit.districtCode!,
  });
  return unit;
}

const at = async <T extends { id: string }>(
  target: Promise<T | null>,
  url: (id: string) => string,
  payload?: unknown,
): Promise<Built | null> => {
  const unit = await target;
  return unit ? { url: url(unit.id), payload } : null;
};

/** A pending request of `kind` from a fresh resident, to be decided at the place. */
async function requestAt(c: Case, kind: 'resident' | 'partyMember') {
  const place = c.place!;
  const applicant = await c.world.user('resident', place);
  const [row] = await c.world.t.ctx.db
    .insert(accountRequest)
    .values({ kind, userId: applicant.id, orgUnitId: place.id, orgPath: place.path, name: '矩阵申请人' })
    .returning();
  return row;
}

const decide = (base: string, kind: 'resident' | 'partyMember', verb: 'approve' | 'reject') => ({
  request: async (c: Case) => ({
    url: `${base}/${(await requestAt(c, kind)).id}/${verb}`,
    payload: verb === 'reject' ? { reason: '信息不符' } : {},
  }),
});

const validIdNumber = (n: number) => {
  const body = `15060219900101${String(n % 1000).padStart(3, '0')}`;
  return body + idNumberCheckChar(body);
};

/** A fresh organisation unit under the place, where one may hang (not under grids, buildings, departments). */
async function freshOrganisationAt(c: Case): Promise<OrgUnitRow | null> {
  const place = c.place!;
  if (!['city', 'district', 'street', 'community'].includes(place.kind)) return null;
  return buildOrgUnit(c.world.t.ctx.db, {
    parent: place,
    kind: 'organisation',
    code: `${place.code}O${++serial}`,
  });
}

/** People register: a house at the place (in its building, else standalone in its grid); none in a department. */
async function houseAt(c: Case) {
  const place = c.place!;
  if (place.kind === 'department') return null;
  const ctx = c.world.t.ctx;
  if (place.kind === 'building') {
    await buildingAt(c);
    return buildHouse(ctx, branchOf(c, place).grid, { buildingId: place.id, room: `M${++serial}` });
  }
  const g = place.kind === 'grid' ? place : branchOf(c, place).grid;
  return buildHouse(ctx, g, { buildingId: null, address: `矩阵嘎查${++serial}号` });
}

async function residentAt(c: Case) {
  const h = await houseAt(c);
  if (!h) return null;
  return buildResident(c.world.t.ctx, branchOf(c, c.place!).grid, { houseId: h.id });
}

async function householdAt(c: Case) {
  const head = await residentAt(c);
  if (!head) return null;
  return createHousehold(c.world.t.ctx, factoryCaller, {
    houseId: head.houseId!,
    registrationType: 'registered',
    members: [{ residentId: head.id, relation: '02' }],
  });
}

/** A pending 迁入申请 about a resident at the place, asked from the other branch's grid. */
async function transferAt(c: Case) {
  const person = await residentAt(c);
  if (!person) return null;
  const other = branchOf(c, c.place!) === c.world.a ? c.world.b : c.world.a;
  const [row] = await c.world.t.ctx.db
    .insert(residentTransfer)
    .values({
      residentId: person.id,
      toGridId: (await gridAt({ ...c, place: other.grid }))!.id,
      toOrgPath: other.grid.path,
      districtCode: other.grid.districtCode,
      name: '矩阵迁入',
      residenceStatus: 'permanent',
      requestedBy: c.caller.id,
    })
    .returning();
  return row;
}

/** A household at the place with a second member (a spouse) beside its head. */
async function householdOfTwoAt(c: Case) {
  const hh = await householdAt(c);
  const spouse = hh && (await residentAt(c));
  if (!hh || !spouse) return null;
  await joinHousehold(c.world.t.ctx.db, factoryCaller, hh.id, spouse.id, '10', 'householdId');
  return { id: hh.id, spouseId: spouse.id };
}

/**
 * A work order at (a grid of) the place: inside, reported by the caller, whom it is always visible
 * to; outside, reported by somebody else there, so only the place's own staff may see it.
 */
async function workOrderAt(c: Case, photo = false) {
  const place = c.place!;
  if (place.kind === 'department') return null;
  const unit = ['grid', 'community', 'building'].includes(place.kind) ? place : branchOf(c, place).grid;
  const ctx = c.world.t.ctx;
  const reporterId = c.outside ? (await c.world.user('resident', unit)).id : c.caller.id;
  const reporter = await callerForUser(ctx.db, reporterId);
  const [category] = await ctx.db
    .select()
    .from(workOrderCategory)
    .where(eq(workOrderCategory.code, 'livelihood.noise'));
  const photoIds = photo ? [(await uploadAs(c, reporterId, null, false)).id] : [];
  const { id } = await intake(ctx, reporter, {
    channel: 'walkIn',
    categoryId: category.id,
    description: '矩阵：楼下夜间施工噪音',
    placeId: unit.id,
    photoIds,
  });
  return { id, photoId: photoIds[0] };
}

export const fixtures: Record<string, RouteFixture> = {
  'POST /api/auth/login': {
    scoped: false,
    request: async (c) => {
      const u = await c.world.user('gridWorker', c.place);
      return { url: '/api/auth/login', payload: { username: u.username, password: 'Matrix-Pass-2026' } };
    },
  },
  'POST /api/auth/register': {
    scoped: false,
    request: async (c) => ({
      url: '/api/auth/register',
      payload: {
        phone: `139${String(++serial).padStart(8, '0')}`,
        password: 'Matrix-Pass-2026',
        name: '矩阵居民',
        idNumber: validIdNumber(serial),
        communityId: c.world.a.community.id,
      },
    }),
  },
  'POST /api/party-membership': {
    scoped: false,
    request: async (c) => ({ url: '/api/party-membership', payload: { branchId: c.world.a.community.id } }),
  },
  'POST /api/account-requests/:id/approve': decide('/api/account-requests', 'resident', 'approve'),
  'POST /api/account-requests/:id/reject': decide('/api/account-requests', 'resident', 'reject'),
  'POST /api/party-member-requests/:id/approve': decide(
    '/api/party-member-requests',
    'partyMember',
    'approve',
  ),
  'POST /api/party-member-requests/:id/reject': decide('/api/party-member-requests', 'partyMember', 'reject'),
  'GET /api/calendar/:year': { scoped: false, request: async () => ({ url: '/api/calendar/2026' }) },
  'PUT /api/calendar/:year': {
    scoped: false,
    request: async () => ({
      url: '/api/calendar/2030',
      payload: { source: '矩阵测试', days: [{ date: '2030-01-01', kind: 'holiday', name: '元旦' }] },
    }),
  },
  'POST /api/notifications/:id/read': {
    request: async (c) => {
      const owner = c.outside ? (await c.world.user('gridWorker', c.place)).id : c.caller.id;
      const [n] = await notify(c.world.t.ctx.db, c.world.t.ctx, {
        userIds: [owner],
        kind: 'matrix',
        title: '矩阵',
      });
      return { url: `/api/notifications/${n.id}/read` };
    },
  },
  'POST /api/auth/password': {
    scoped: false,
    request: async () => ({
      url: '/api/auth/password',
      payload: { current: 'Matrix-Pass-2026', next: 'Matrix-Next-2027' },
    }),
  },
  'POST /api/auth/act-as': {
    scoped: false,
    request: async () => ({ url: '/api/auth/act-as', payload: { assignmentId: null } }),
  },
  'PATCH /api/auth/me': {
    scoped: false,
    request: async () => ({ url: '/api/auth/me', payload: { displayName: '矩阵' } }),
  },
  'DELETE /api/auth/sessions/:id': {
    request: async (c) => {
      const owner = c.outside ? (await c.world.user('gridWorker', c.place)).id : c.caller.id;
      const s = await createSession(c.world.t.ctx.db, c.world.t.ctx, owner, { ip: '127.0.0.1' });
      return { url: `/api/auth/sessions/${s.id}` };
    },
  },
  'POST /api/files': {
    scoped: false,
    request: async () => ({
      url: '/api/files',
      ...multipartBody({}, [{ name: 'm.png', type: 'image/png', bytes: await png() }]),
    }),
  },
  'GET /api/files/:id': {
    request: async (c) => ({ url: `/api/files/${(await fileTarget(c, c.outside)).id}` }),
  },
  'GET /api/files/:id/thumbnail': {
    request: async (c) => ({ url: `/api/files/${(await fileTarget(c, c.outside)).id}/thumbnail` }),
  },
  'GET /api/jobs/:id': { request: async (c) => ({ url: `/api/jobs/${(await jobTarget(c, c.outside)).id}` }) },
  'GET /api/jobs/:id/download': {
    request: async (c) => {
      const row = await jobTarget(c, c.outside);
      await c.world.t.ctx.db
        .update(job)
        .set({ status: 'succeeded', result: { fileName: '矩阵.csv' } })
        .where(eq(job.id, row.id));
      writeFileSync(jobOutputPath(c.world.t.ctx.config.dataDir, row.id), 'a,b\n');
      return { url: `/api/jobs/${row.id}/download` };
    },
  },
  'POST /api/jobs/:id/cancel': {
    request: async (c) => ({ url: `/api/jobs/${(await jobTarget(c, c.outside)).id}/cancel` }),
  },
  'GET /api/users/:id': { request: async (c) => ({ url: `/api/users/${(await targetUser(c)).id}` }) },
  'POST /api/users': {
    outside: 403,
    request: async (c) => ({
      url: '/api/users',
      payload: {
        username: `matrix${++serial}`,
        displayName: '矩阵',
        role: 'buildingLeader',
        orgUnitId: c.place?.id ?? null,
      },
    }),
  },
  'PATCH /api/users/:id': {
    request: async (c) => ({
      url: `/api/users/${(await targetUser(c)).id}`,
      payload: { displayName: '改名' },
    }),
  },
  'POST /api/users/:id/roles': {
    request: async (c) => ({
      url: `/api/users/${(await targetUser(c)).id}/roles`,
      payload: { role: 'gridWorker', orgUnitId: c.place?.id ?? null },
    }),
  },
  'DELETE /api/users/:id/roles/:assignmentId': {
    request: async (c) => {
      const u = await targetUser(c);
      const res = await c.world.t.app.inject({
        url: `/api/users/${u.id}`,
        headers: await c.world.t.asAdmin(),
      });
      return { url: `/api/users/${u.id}/roles/${res.json().assignments[0].id}` };
    },
  },
  'POST /api/users/:id/reset-password': {
    request: async (c) => ({ url: `/api/users/${(await targetUser(c)).id}/reset-password` }),
  },
  'DELETE /api/users/:id/sessions': {
    request: async (c) => ({ url: `/api/users/${(await targetUser(c)).id}/sessions` }),
  },
  'GET /api/org-units/:id': { request: async (c) => ({ url: `/api/org-units/${c.place!.id}` }) },
  'POST /api/org-units': {
    outside: 403,
    request: async (c) =>
      ['city', 'district', 'street', 'community'].includes(c.place!.kind)
        ? {
            url: '/api/org-units',
            payload: { kind: 'organisation', parentId: c.place!.id, name: `矩阵单位${++serial}` },
          }
        : null,
  },
  'PATCH /api/org-units/:id': {
    request: async (c) => ({ url: `/api/org-units/${c.place!.id}`, payload: { name: c.place!.name } }),
  },
  'POST /api/org-units/:id/move': {
    // Moving under its own parent is refused with 400 (the move itself is tested in test/api/org-units.test.ts).
    request: (c) =>
      at(freshOrganisationAt(c), (id) => `/api/org-units/${id}/move`, { parentId: c.place!.id }),
  },
  'DELETE /api/org-units/:id': {
    request: (c) => at(freshOrganisationAt(c), (id) => `/api/org-units/${id}`),
  },
  'GET /api/org-units/:id/stats': { request: async (c) => ({ url: `/api/org-units/${c.place!.id}/stats` }) },
  'GET /api/grids/:id': { request: (c) => at(gridAt(c), (id) => `/api/grids/${id}`) },
  'PATCH /api/grids/:id': {
    outside: 403,
    request: (c) => at(gridAt(c), (id) => `/api/grids/${id}`, { targetHouseholds: 310 }),
  },
  'DELETE /api/grids/:id': { outside: 403, request: (c) => at(freshGridAt(c), (id) => `/api/grids/${id}`) },
  'GET /api/buildings/:id': { request: (c) => at(buildingAt(c), (id) => `/api/buildings/${id}`) },
  'GET /api/buildings/:id/qr.svg': {
    request: (c) => at(buildingAt(c), (id) => `/api/buildings/${id}/qr.svg`),
  },
  'PATCH /api/buildings/:id': {
    outside: 403,
    request: (c) => at(buildingAt(c), (id) => `/api/buildings/${id}`, { address: '新地址' }),
  },
  'DELETE /api/buildings/:id': {
    outside: 403,
    request: (c) => at(freshBuildingAt(c), (id) => `/api/buildings/${id}`),
  },
  'POST /api/grids': {
    outside: 403,
    request: async (c) => {
      const place = c.place!;
      if (['grid', 'building', 'department'].includes(place.kind)) return null;
      const community = place.kind === 'community' ? place : branchOf(c, place).community;
      return {
        url: '/api/grids',
        payload: { parentId: community.id, name: `矩阵网格${++serial}`, type: 'basic' },
      };
    },
  },
  'POST /api/buildings': {
    outside: 403,
    request: async (c) => {
      const g = await gridAt(c);
      return g
        ? { url: '/api/buildings', payload: { gridId: g.id, name: `矩阵楼${++serial}`, lng: 110, lat: 40 } }
        : null;
    },
  },
  'POST /api/org/division-imports': {
    outside: 403,
    request: async (c) => ({
      url: '/api/org/division-imports',
      payload: { province: '88', scope: c.place!.code },
    }),
  },
  'GET /api/residents/:id': { request: (c) => at(residentAt(c), (id) => `/api/residents/${id}`) },
  'PATCH /api/residents/:id': {
    request: (c) => at(residentAt(c), (id) => `/api/residents/${id}`, { tags: ['veteran'] }),
  },
  'DELETE /api/residents/:id': { request: (c) => at(residentAt(c), (id) => `/api/residents/${id}`) },
  'POST /api/residents/:id/events': {
    request: (c) =>
      at(residentAt(c), (id) => `/api/residents/${id}/events`, { kind: 'moveOut', date: '2026-01-02' }),
  },
  'POST /api/residents/:id/reveal': {
    request: (c) => at(residentAt(c), (id) => `/api/residents/${id}/reveal`, { reason: '矩阵核对' }),
  },
  // Scoped by the list's filter (people-export.test.ts): every caller's count is of their own subtree.
  'POST /api/residents/exports/count': {
    scoped: false,
    request: async () => ({ url: '/api/residents/exports/count', payload: { unmasked: true } }),
  },
  'GET /api/residents/:id/visits': {
    request: (c) => at(residentAt(c), (id) => `/api/residents/${id}/visits`),
  },
  'POST /api/residents/:id/visits': {
    request: (c) => at(residentAt(c), (id) => `/api/residents/${id}/visits`, { notes: '矩阵走访' }),
  },
  'POST /api/resident-transfers/:id/accept': {
    request: (c) => at(transferAt(c), (id) => `/api/resident-transfers/${id}/accept`),
  },
  'POST /api/resident-transfers/:id/decline': {
    request: (c) =>
      at(transferAt(c), (id) => `/api/resident-transfers/${id}/decline`, { reason: '矩阵：本人未申请' }),
  },
  'GET /api/houses/:id': { request: (c) => at(houseAt(c), (id) => `/api/houses/${id}`) },
  'PATCH /api/houses/:id': {
    request: (c) => at(houseAt(c), (id) => `/api/houses/${id}`, { use: 'rented' }),
  },
  'POST /api/houses/grid': {
    request: async (c) => {
      const h = await houseAt(c);
      return h && { url: '/api/houses/grid', payload: { houseIds: [h.id], gridId: h.gridId } };
    },
  },
  'GET /api/households/:id': { request: (c) => at(householdAt(c), (id) => `/api/households/${id}`) },
  'PATCH /api/households/:id': {
    request: (c) => at(householdAt(c), (id) => `/api/households/${id}`, { registrationType: 'unregistered' }),
  },
  'POST /api/households/:id/members': {
    request: async (c) => {
      const hh = await householdAt(c);
      const other = hh && (await residentAt(c));
      return hh && other
        ? { url: `/api/households/${hh.id}/members`, payload: { residentId: other.id, relation: '10' } }
        : null;
    },
  },
  'DELETE /api/households/:id/members/:residentId': {
    request: async (c) => {
      const hh = await householdAt(c);
      return hh ? { url: `/api/households/${hh.id}/members/${hh.headResidentId}` } : null;
    },
  },
  'PATCH /api/households/:id/members/:residentId': {
    request: async (c) => {
      const hh = await householdOfTwoAt(c);
      return hh && { url: `/api/households/${hh.id}/members/${hh.spouseId}`, payload: { relation: '11' } };
    },
  },
  'POST /api/households/:id/head': {
    request: async (c) => {
      const hh = await householdOfTwoAt(c);
      return (
        hh && {
          url: `/api/households/${hh.id}/head`,
          payload: { residentId: hh.spouseId, formerHeadRelation: '10' },
        }
      );
    },
  },
  'POST /api/households/:id/move': {
    request: async (c) => {
      const hh = await householdAt(c);
      const to = hh && (await houseAt(c));
      return hh && to
        ? { url: `/api/households/${hh.id}/move`, payload: { houseId: to.id, date: shanghaiToday() } }
        : null;
    },
  },
  // Categories are system-wide configuration: no place to be outside of.
  'PATCH /api/work-order-categories/:id': {
    scoped: false,
    request: async (c) => {
      const [cat] = await c.world.t.ctx.db
        .select()
        .from(workOrderCategory)
        .where(eq(workOrderCategory.code, 'livelihood.other'));
      return { url: `/api/work-order-categories/${cat.id}`, payload: { sort: 99 } };
    },
  },
  'POST /api/work-orders/:id/moderation': {
    request: (c) =>
      at(workOrderAt(c), (id) => `/api/work-orders/${id}/moderation`, {
        publicDescription: '某小区噪音问题',
      }),
  },
  'GET /api/work-orders/:id/departments': {
    request: (c) => at(workOrderAt(c), (id) => `/api/work-orders/${id}/departments`),
  },
  'GET /api/work-orders/:id': { request: (c) => at(workOrderAt(c), (id) => `/api/work-orders/${id}`) },
  // Rating an open work order is refused for its state (409) before anyone's role is looked at.
  'POST /api/work-orders/:id/events': {
    request: (c) =>
      at(workOrderAt(c), (id) => `/api/work-orders/${id}/events`, { type: 'rated', rating: 'satisfied' }),
  },
  'GET /api/work-orders/:id/photos/:fileId': {
    request: async (c) => {
      const wo = await workOrderAt(c, true);
      return wo ? { url: `/api/work-orders/${wo.id}/photos/${wo.photoId}` } : null;
    },
  },
};

/** One Open311 key and request for the public GeoReport routes (which answer everybody alike). */
const open311Sample = new WeakMap<World, Promise<{ key: string; number: string; token: string }>>();
function open311At(c: Case) {
  let made = open311Sample.get(c.world);
  if (!made) {
    made = (async () => {
      const ctx = c.world.t.ctx;
      const { key } = await createKey(ctx, null, { name: '矩阵', orgUnitId: c.world.a.district.id });
      const [res] = await createRequest(ctx, {
        api_key: key,
        service_code: 'city.environment',
        address_string: `${c.world.a.community.name}东门`,
        description: '矩阵：路灯不亮',
      });
      const [{ token }] = await ctx.db
        .select({ token: open311Request.token })
        .from(open311Request)
        .innerJoin(workOrder, eq(workOrder.id, open311Request.workOrderId))
        .where(eq(workOrder.number, res.service_request_id));
      return { key, number: res.service_request_id, token };
    })();
    open311Sample.set(c.world, made);
  }
  return made;
}

const open311Form = async (c: Case): Promise<Built> => ({
  url: '',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({
    api_key: (await open311At(c)).key,
    service_code: 'city.environment',
    address_string: `${c.world.a.community.name}南门`,
    description: '矩阵：井盖缺失',
  }).toString(),
});

const open311Fixtures: Record<string, RouteFixture> = Object.fromEntries(
  (['json', 'xml'] as const).flatMap((f) => [
    [
      `GET /open311/v2/services/:service_code.${f}`,
      { scoped: false, request: async () => ({ url: `/open311/v2/services/city.environment.${f}` }) },
    ],
    [
      `GET /open311/v2/requests/:service_request_id.${f}`,
      {
        scoped: false,
        request: async (c: Case) => ({ url: `/open311/v2/requests/${(await open311At(c)).number}.${f}` }),
      },
    ],
    [
      `GET /open311/v2/tokens/:token.${f}`,
      {
        scoped: false,
        request: async (c: Case) => ({ url: `/open311/v2/tokens/${(await open311At(c)).token}.${f}` }),
      },
    ],
    // Public, but a request without a valid api_key is refused (403): the matrix sends a real one.
    [
      `POST /open311/v2/requests.${f}`,
      {
        scoped: false,
        request: async (c: Case) => ({ ...(await open311Form(c)), url: `/open311/v2/requests.${f}` }),
      },
    ],
  ]),
);

/** A photo sent with an Open311 request: public, as media_url gives it. */
const open311Photos = new WeakMap<World, Promise<string>>();
open311Fixtures['GET /open311/v2/media/:id'] = {
  scoped: false,
  request: async (c: Case) => {
    let photoId = open311Photos.get(c.world);
    photoId ??= (async () => {
      const ctx = c.world.t.ctx;
      const [res] = await createRequest(
        ctx,
        {
          api_key: (await open311At(c)).key,
          service_code: 'city.environment',
          address_string: `${c.world.a.community.name}西门`,
          description: '矩阵：带照片',
        },
        [{ bytes: await png(), name: 'm.png', mime: 'image/png' }],
      );
      const [order] = await ctx.db
        .select({ id: workOrder.id })
        .from(workOrder)
        .where(eq(workOrder.number, res.service_request_id));
      const [photo] = await ctx.db
        .select({ id: file.id })
        .from(file)
        .where(and(eq(file.ownerType, 'workOrder'), eq(file.ownerId, order.id)));
      return photo.id;
    })();
    open311Photos.set(c.world, photoId);
    return { url: `/open311/v2/media/${await photoId}` };
  },
};

Object.assign(fixtures, open311Fixtures, {
  'POST /api/open311/keys/:id/revoke': {
    request: async (c: Case) => {
      const made = await createKey(c.world.t.ctx, null, { name: '矩阵吊销', orgUnitId: c.place?.id ?? null });
      return { url: `/api/open311/keys/${made.id}/revoke` };
    },
  },
} satisfies Record<string, RouteFixture>);

Object.assign(fixtures, partyFixtures);
