import { grid } from '../../src/modules/org/schema.js';
import { createCatalog } from '../../src/modules/party/catalog.js';
import { partyCheckIn, serviceRecord } from '../../src/modules/party/check-in-schema.js';
import { recordEntry } from '../../src/modules/party/entries.js';
import { jointCommittee, jointCommitteeMember } from '../../src/modules/party/joint-committee-schema.js';
import { createMember } from '../../src/modules/party/members.js';
import {
  partyMember,
  partyOrg,
  pointsEntry,
  pointsObjection,
  pointsQuarter,
} from '../../src/modules/party/schema.js';
import { type Action, roleCan } from '../../src/platform/auth/permissions.js';
import type { OrgUnitRow } from '../factories/org.js';
import { catalogItems } from '../factories/party.js';
import { buildResident, factoryCaller } from '../factories/people.js';
import type { Case, RouteFixture } from './fixtures.js';

/** The party organisation targets of the matrix: an organisation at the place, its members and points. */
let serial = 0;

async function orgAt(c: Case) {
  const place = c.place!;
  const [row] = await c.world.t.ctx.db
    .insert(partyOrg)
    .values({
      kind: 'branch',
      name: `矩阵党组织${++serial}`,
      orgUnitId: place.id,
      orgPath: place.path,
      districtCode: place.districtCode,
    })
    .returning();
  return row;
}

/** A resident in the grid of the place's branch of the world (every party member is a person on the register). */
async function personNear(c: Case) {
  const w = c.world;
  const g: OrgUnitRow = c.place!.path.startsWith(w.a.city.path) ? w.a.grid : w.b.grid;
  await w.t.ctx.db
    .insert(grid)
    .values({ orgUnitId: g.id, type: 'basic', districtCode: g.districtCode! })
    .onConflictDoNothing();
  return buildResident(w.t.ctx, g);
}

async function memberAt(c: Case, userId: string | null = null) {
  const org = await orgAt(c);
  const person = await personNear(c);
  const m = await createMember(c.world.t.ctx, factoryCaller, { residentId: person.id, partyOrgId: org.id });
  if (userId) await c.world.t.ctx.db.update(partyMember).set({ userId }).where(eqId(m.id));
  return { org, member: m };
}

import { eq } from 'drizzle-orm';

const eqId = (id: string) => eq(partyMember.id, id);

async function catalogOf(c: Case, orgId: string) {
  return createCatalog(
    c.world.t.ctx,
    factoryCaller,
    orgId,
    catalogItems.map((i) => ({ ...i })),
  );
}

/** A member with a catalogue and one confirmed entry (or a claim) in 2026Q3. */
async function entryAt(c: Case, status: 'confirmed' | 'claimed') {
  const { org, member } = await memberAt(c);
  const cat = await catalogOf(c, org.id);
  const row = await recordEntry(c.world.t.ctx, factoryCaller, {
    partyOrgId: org.id,
    memberId: member.id,
    itemId: cat.items[0].id,
    month: '2026-07',
  });
  if (status === 'claimed')
    await c.world.t.ctx.db.update(pointsEntry).set({ status: 'claimed' }).where(eq(pointsEntry.id, row.id));
  return row;
}

async function quarterAt(c: Case, orgId: string, orgPath: string) {
  const [q] = await c.world.t.ctx.db
    .insert(pointsQuarter)
    .values({
      partyOrgId: orgId,
      orgPath,
      quarter: '2026Q3',
      status: 'published',
      publishedAt: new Date(),
      objectionUntil: new Date(Date.now() + 7 * 86400_000),
    })
    .returning();
  return q;
}

const orgRoute = (suffix: string, payload?: (c: Case, orgId: string) => Promise<unknown>) => ({
  request: async (c: Case) => {
    const org = await orgAt(c);
    return {
      url: `/api/party/orgs/${org.id}${suffix}`,
      payload: payload ? await payload(c, org.id) : undefined,
    };
  },
});

/** The caller's own member record: for the party.self routes (others are refused before it matters). */
const self = (
  url: string,
  payload?: (c: Case, m: { orgId: string; orgPath: string }) => Promise<unknown>,
) => ({
  scoped: false,
  request: async (c: Case) => {
    const { org } = await memberAt(c, c.caller.id);
    return { url, payload: payload ? await payload(c, { orgId: org.id, orgPath: org.orgPath }) : undefined };
  },
});

const fixtures: Record<string, RouteFixture> = {
  'GET /api/party/orgs/:id': orgRoute(''),
  'POST /api/party/orgs/:id/secretary': {
    request: async (c) => {
      const { org, member } = await memberAt(c);
      return { url: `/api/party/orgs/${org.id}/secretary`, payload: { memberId: member.id } };
    },
  },
  'GET /api/party/orgs/:id/catalog': orgRoute('/catalog'),
  'POST /api/party/orgs/:id/catalog': orgRoute('/catalog', async () => ({ items: catalogItems })),
  'GET /api/party/orgs/:id/sheet': {
    request: async (c) => {
      const org = await orgAt(c);
      await catalogOf(c, org.id);
      return { url: `/api/party/orgs/${org.id}/sheet?month=2026-07` };
    },
  },
  'GET /api/party/orgs/:id/quarters/:quarter': orgRoute('/quarters/2026Q3'),
  'GET /api/party/orgs/:id/quarters/:quarter/pdf': {
    request: async (c) => {
      const org = await orgAt(c);
      await quarterAt(c, org.id, org.orgPath);
      return { url: `/api/party/orgs/${org.id}/quarters/2026Q3/pdf` };
    },
  },
  'POST /api/party/orgs/:id/quarters/:quarter/review': orgRoute('/quarters/2026Q3/review'),
  'POST /api/party/orgs/:id/quarters/:quarter/publish': orgRoute('/quarters/2026Q3/publish'),
  'POST /api/party/orgs/:id/quarters/:quarter/finalise': orgRoute('/quarters/2026Q3/finalise'),
  'GET /api/party/members/:id': {
    request: async (c) => ({ url: `/api/party/members/${(await memberAt(c)).member.id}` }),
  },
  'GET /api/party/members/:id/passbook': {
    request: async (c) => ({ url: `/api/party/members/${(await memberAt(c)).member.id}/passbook` }),
  },
  'POST /api/party/members/:id/transfer': {
    request: async (c) => {
      const { member } = await memberAt(c);
      const to = await orgAt(c);
      return {
        url: `/api/party/members/${member.id}/transfer`,
        payload: { toOrgId: to.id, movedOn: '2026-11-01', reason: '工作调动' },
      };
    },
  },
  'POST /api/party/entries/:id/correct': {
    request: async (c) => ({
      url: `/api/party/entries/${(await entryAt(c, 'confirmed')).id}/correct`,
      payload: { points: -1, reason: '重复记分' },
    }),
  },
  'POST /api/party/claims/:id/confirm': {
    request: async (c) => ({ url: `/api/party/claims/${(await entryAt(c, 'claimed')).id}/confirm` }),
  },
  'POST /api/party/claims/:id/refuse': {
    request: async (c) => ({
      url: `/api/party/claims/${(await entryAt(c, 'claimed')).id}/refuse`,
      payload: { reason: '证明材料不足' },
    }),
  },
  'POST /api/party/objections/:id/answer': {
    request: async (c) => {
      const { org, member } = await memberAt(c);
      const q = await quarterAt(c, org.id, org.orgPath);
      const [o] = await c.world.t.ctx.db
        .insert(pointsObjection)
        .values({ quarterId: q.id, memberId: member.id, text: '漏记一次' })
        .returning();
      return { url: `/api/party/objections/${o.id}/answer`, payload: { answer: '已核实' } };
    },
  },
  'GET /api/party/me': self('/api/party/me'),
  'GET /api/party/me/passbook': self('/api/party/me/passbook'),
  'GET /api/party/me/catalog': self('/api/party/me/catalog'),
  'GET /api/party/me/shop': self('/api/party/me/shop'),
  'GET /api/party/me/published': self('/api/party/me/published'),
  'POST /api/party/me/claims': self('/api/party/me/claims', async (c, m) => {
    const cat = await catalogOf(c, m.orgId);
    return { itemId: cat.items[0].id, month: '2026-07', note: '参加三会一课' };
  }),
  'POST /api/party/me/objections': self('/api/party/me/objections', async (c, m) => {
    const q = await quarterAt(c, m.orgId, m.orgPath);
    return { quarterId: q.id, text: '漏记一次' };
  }),
};

/** A member's check-in received at the place (confirmed: ready for posts, services and reviews). */
async function checkInAt(c: Case, status: 'pending' | 'confirmed') {
  const { member } = await memberAt(c);
  const place = c.place!;
  const [row] = await c.world.t.ctx.db
    .insert(partyCheckIn)
    .values({
      kind: 'member',
      memberId: member.id,
      orgUnitId: place.id,
      orgPath: place.path,
      status,
      decidedAt: status === 'confirmed' ? new Date() : null,
    })
    .returning();
  return row;
}

async function serviceAt(c: Case) {
  const checkIn = await checkInAt(c, 'confirmed');
  const [row] = await c.world.t.ctx.db
    .insert(serviceRecord)
    .values({
      checkInId: checkIn.id,
      memberId: checkIn.memberId!,
      orgPath: checkIn.orgPath,
      servedOn: '2026-11-02',
      minutes: 90,
      what: '清扫楼道',
      status: 'recorded',
    })
    .returning();
  return row;
}

/** 双报到 routes: the community side acts on check-ins and services at the place. */
const checkInFixtures: Record<string, RouteFixture> = {
  'GET /api/party/check-ins/:id': {
    request: async (c) => ({ url: `/api/party/check-ins/${(await checkInAt(c, 'pending')).id}` }),
  },
  'POST /api/party/check-ins/:id/confirm': {
    request: async (c) => ({ url: `/api/party/check-ins/${(await checkInAt(c, 'pending')).id}/confirm` }),
  },
  'POST /api/party/check-ins/:id/refuse': {
    request: async (c) => ({
      url: `/api/party/check-ins/${(await checkInAt(c, 'pending')).id}/refuse`,
      payload: { reason: '不在本社区居住' },
    }),
  },
  'POST /api/party/check-ins/:id/reviews': {
    request: async (c) => ({
      url: `/api/party/check-ins/${(await checkInAt(c, 'confirmed')).id}/reviews`,
      payload: { year: new Date().getFullYear(), rating: 'good' },
    }),
  },
  'POST /api/party/service-records/:id/confirm': {
    request: async (c) => ({ url: `/api/party/service-records/${(await serviceAt(c)).id}/confirm` }),
  },
  'POST /api/party/service-records/:id/refuse': {
    request: async (c) => ({
      url: `/api/party/service-records/${(await serviceAt(c)).id}/refuse`,
      payload: { reason: '与上一条重复' },
    }),
  },
  'GET /api/party/orgs/:id/check-ins': orgRoute('/check-ins'),
  'POST /api/party/orgs/:id/check-ins': orgRoute('/check-ins', async (c) => ({ orgUnitId: c.place!.id })),
  'POST /api/party/orgs/:id/proposals/scan': orgRoute('/proposals/scan'),
  'GET /api/party/me/check-in': self('/api/party/me/check-in'),
  'POST /api/party/me/check-in': self('/api/party/me/check-in', async (c) => ({
    orgUnitId: c.world.a.community.id,
  })),
  'GET /api/party/me/posts': self('/api/party/me/posts'),
  'POST /api/party/me/posts': self('/api/party/me/posts', async () => ({ postId: stranger })),
  'POST /api/party/me/services': self('/api/party/me/services', async () => ({
    servedOn: '2026-11-02',
    hours: 1,
    what: '清扫楼道',
  })),
  'POST /api/party/me/check-in/review': self('/api/party/me/check-in/review', async () => ({
    year: 2026,
    rating: 'good',
  })),
};
Object.assign(fixtures, checkInFixtures);

/** A joint committee at the place (written directly: any unit kind may be a matrix place), with one member. */
async function committeeAt(c: Case) {
  const place = c.place!;
  const db = c.world.t.ctx.db;
  // one committee per unit: the matrix asks at the same places many times
  await db
    .insert(jointCommittee)
    .values({ orgUnitId: place.id, orgPath: place.path, name: `矩阵大党委${++serial}` })
    .onConflictDoNothing();
  const [committee] = await db.select().from(jointCommittee).where(eq(jointCommittee.orgUnitId, place.id));
  const [member] = await db
    .insert(jointCommitteeMember)
    .values({
      committeeId: committee.id,
      name: '王磊',
      role: 'partTime',
      partnerUnit: '供电公司',
      joinedOn: '2026-01-01',
    })
    .returning();
  return { committee, member };
}

Object.assign(fixtures, {
  'GET /api/party/joint-committees/:id': {
    request: async (c) => ({ url: `/api/party/joint-committees/${(await committeeAt(c)).committee.id}` }),
  },
  'POST /api/party/joint-committees/:id/members': {
    request: async (c) => ({
      url: `/api/party/joint-committees/${(await committeeAt(c)).committee.id}/members`,
      payload: { name: '李强', role: 'member', joinedOn: '2026-03-01' },
    }),
  },
  'POST /api/party/joint-committees/:id/meetings': {
    request: async (c) => {
      const { committee, member } = await committeeAt(c);
      return {
        url: `/api/party/joint-committees/${committee.id}/meetings`,
        payload: {
          heldOn: '2026-11-02',
          attendeeIds: [member.id],
          topics: ['冬季供暖'],
          decisions: ['供电公司派员巡检'],
        },
      };
    },
  },
} satisfies Record<string, RouteFixture>);

/** The action of each route above (from its key's verb and path), to skip building targets for roles the action refuses. */
function actionOf(key: string): Action {
  if (/\/party\/me(\/|$)/.test(key)) return 'party.self';
  if (/check-ins\/:id\/(confirm|refuse|reviews)|service-records\/:id/.test(key)) return 'party.checkIn';
  if (/proposals\/scan/.test(key)) return 'party.record';
  if (/quarters\/:quarter\/(review|publish|finalise)|objections/.test(key)) return 'party.review';
  if (/entries|claims/.test(key)) return 'party.record';
  if (key.startsWith('POST')) return 'party.manage';
  return 'party.read';
}

const stranger = '01900000-0000-7000-8000-000000000000';

/**
 * A role the route's action refuses gets 403 before the target is looked at, so it is sent a
 * made-up id instead of a built target: the matrix runs every route for every role.
 */
export const partyFixtures: Record<string, RouteFixture> = Object.fromEntries(
  Object.entries(fixtures).map(([key, f]) => [
    key,
    {
      ...f,
      request: async (c: Case) =>
        roleCan(c.role, actionOf(key))
          ? f.request(c)
          : {
              url: key
                .slice(key.indexOf(' ') + 1)
                .replace(':id', stranger)
                .replace(':quarter', '2026Q3'),
            },
    },
  ]),
);
