import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { uniqueViolation } from '../../platform/db/errors.js';
import { AppError, invalid } from '../../platform/errors.js';
import { attachFiles } from '../../platform/files/service.js';
import { newId } from '../../platform/ids.js';
import { orgUnit } from '../org/schema.js';
import { unitLabels } from '../org/units.js';
import type { ResidentTag } from './codes.js';
import { membershipOf } from './membership.js';
import { loadResident } from './residents.js';
import { house, resident, residentVisit } from './schema.js';
import { ageOn, shanghaiToday } from './validators.js';

/** Household visits (走访) and the grid worker's "my grid" overview. */
export interface VisitInput {
  visitedAt?: Date;
  notes: string;
  photoIds?: string[];
  tagsAdded?: ResidentTag[];
  tagsRemoved?: ResidentTag[];
}

const describeVisit = (v: typeof residentVisit.$inferSelect) => ({
  id: v.id,
  residentId: v.residentId,
  householdId: v.householdId,
  visitedBy: v.visitedBy,
  visitorName: v.visitorName,
  visitedAt: v.visitedAt,
  notes: v.notes,
  photos: v.photoIds.map((id) => ({
    id,
    url: `/api/files/${id}`,
    thumbnailUrl: `/api/files/${id}/thumbnail`,
  })),
  tagsAdded: v.tagsAdded,
  tagsRemoved: v.tagsRemoved,
  createdAt: v.createdAt,
});

/**
 * Records a visit; the photos (the visitor's own uploads) are attached to it and the tag changes
 * applied. With an Idempotency-Key, a retry (the outbox resending after a lost answer, a double tap)
 * returns the visit recorded the first time, `replayed`, and changes nothing.
 */
export async function recordVisit(
  ctx: AppContext,
  caller: Caller,
  residentId: string,
  input: VisitInput,
  key?: string,
) {
  if (input.visitedAt && input.visitedAt.getTime() > Date.now() + 5 * 60_000)
    throw invalid('visitedAt', '走访时间不能晚于现在');
  const added = [...new Set(input.tagsAdded ?? [])];
  const removed = [...new Set(input.tagsRemoved ?? [])];
  if (added.some((t) => removed.includes(t))) throw invalid('tagsRemoved', '同一标签不能同时添加和移除');
  const userId = caller.user?.id;
  const replay = async () => {
    if (!key || !userId) return undefined;
    const [done] = await ctx.db
      .select()
      .from(residentVisit)
      .where(and(eq(residentVisit.visitedBy, userId), eq(residentVisit.idempotencyKey, key)));
    if (!done) return undefined;
    if (done.residentId !== residentId) throw new AppError('CONFLICT', 409, 'error.IDEMPOTENCY_KEY_REUSED');
    // Still theirs to see: a visitor whose grid has changed since gets the same 404 as anyone else.
    await loadResident(ctx.db, caller, residentId, 'resident.write');
    return { ...describeVisit(done), replayed: true };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return await writeVisit(ctx, caller, residentId, input, added, removed, key);
  } catch (err) {
    // Two copies of one request raced: the second met the first's key; answer as the first did.
    const raced = uniqueViolation(err, 'resident_visit_key_idx') ? await replay() : undefined;
    if (raced) return raced;
    throw err;
  }
}

async function writeVisit(
  ctx: AppContext,
  caller: Caller,
  residentId: string,
  input: VisitInput,
  added: ResidentTag[],
  removed: ResidentTag[],
  key: string | undefined,
) {
  return ctx.db.transaction(async (tx) => {
    const row = await loadResident(tx, caller, residentId, 'resident.write');
    const id = newId();
    if (input.photoIds?.length)
      await attachFiles(tx, caller, input.photoIds, {
        ownerType: 'residentVisit',
        ownerId: id,
        orgPath: row.orgPath,
      }).catch(() => {
        throw invalid('photoIds', '照片不存在或已被使用，请重新上传');
      });
    const tags = [
      ...row.tags.filter((t) => !removed.includes(t as ResidentTag)),
      ...added.filter((t) => !row.tags.includes(t)),
    ];
    if (added.length || removed.length)
      await tx.update(resident).set({ tags }).where(eq(resident.id, row.id));
    const m = await membershipOf(tx, row.id);
    const [visit] = await tx
      .insert(residentVisit)
      .values({
        id,
        residentId: row.id,
        householdId: m?.householdId ?? null,
        visitedBy: caller.user?.id ?? null,
        visitorName: caller.user?.displayName ?? 'system',
        visitedAt: input.visitedAt ?? new Date(),
        notes: input.notes,
        photoIds: input.photoIds ?? [],
        tagsAdded: added,
        tagsRemoved: removed,
        orgPath: row.orgPath,
        idempotencyKey: caller.user && key ? key : null,
      })
      .returning();
    await audit(tx, caller, {
      action: 'resident.visited',
      targetType: 'resident',
      targetId: row.id,
      orgPath: row.orgPath,
      summary: `走访 ${row.name}`,
      details: { visitId: id, tagsAdded: added, tagsRemoved: removed },
    });
    return { ...describeVisit(visit), replayed: false };
  });
}

export async function listVisits(ctx: AppContext, caller: Caller, residentId: string) {
  const row = await loadResident(ctx.db, caller, residentId, 'resident.read');
  const visits = await ctx.db
    .select()
    .from(residentVisit)
    .where(eq(residentVisit.residentId, row.id))
    .orderBy(desc(residentVisit.visitedAt))
    .limit(200);
  return { items: visits.map(describeVisit), total: visits.length };
}

/**
 * "My grid": the grids in the caller's scope (a grid worker's own; at most 50 for wider roles),
 * each with its buildings (houses and residents in each), house count and a residents summary.
 */
export async function myGrid(ctx: AppContext, caller: Caller) {
  const db = ctx.db;
  const grids = await db
    .select({ id: orgUnit.id, code: orgUnit.code, name: orgUnit.name, path: orgUnit.path })
    .from(orgUnit)
    .where(
      and(
        eq(orgUnit.kind, 'grid'),
        isNull(orgUnit.deletedAt),
        scopeFilter(caller.user, 'resident.read', orgUnit.path),
      ),
    )
    .orderBy(orgUnit.code)
    .limit(50);
  if (!grids.length) return { grids: [] };
  const gridIds = grids.map((g) => g.id);
  const buildings = await db
    .select({ id: orgUnit.id, code: orgUnit.code, name: orgUnit.name, gridId: orgUnit.parentId })
    .from(orgUnit)
    .where(and(eq(orgUnit.kind, 'building'), inArray(orgUnit.parentId, gridIds), isNull(orgUnit.deletedAt)))
    .orderBy(orgUnit.code);
  const housesByBuilding = new Map(
    (
      await db
        .select({ id: house.buildingId, n: sql<number>`count(*)::int` })
        .from(house)
        .where(and(inArray(house.gridId, gridIds), isNull(house.deletedAt)))
        .groupBy(house.buildingId)
    ).map((r) => [r.id, Number(r.n)]),
  );
  const residentsByBuilding = new Map(
    (
      await db
        .select({ id: house.buildingId, n: sql<number>`count(*)::int` })
        .from(resident)
        .innerJoin(house, eq(house.id, resident.houseId))
        .where(
          and(inArray(resident.gridId, gridIds), isNull(resident.deletedAt), eq(resident.status, 'active')),
        )
        .groupBy(house.buildingId)
    ).map((r) => [r.id, Number(r.n)]),
  );
  const houses = new Map(
    (
      await db
        .select({ id: house.gridId, n: sql<number>`count(*)::int` })
        .from(house)
        .where(and(inArray(house.gridId, gridIds), isNull(house.deletedAt)))
        .groupBy(house.gridId)
    ).map((r) => [r.id, Number(r.n)]),
  );
  // Care groups counted in JS from birth dates and tags: a grid holds a few thousand people at most.
  const people = await db
    .select({ gridId: resident.gridId, birthDate: resident.birthDate, tags: resident.tags })
    .from(resident)
    .where(and(inArray(resident.gridId, gridIds), isNull(resident.deletedAt), eq(resident.status, 'active')));
  const today = shanghaiToday();
  const summary = new Map<
    string,
    { total: number; elderly: number; child: number; tags: Record<string, number> }
  >();
  for (const p of people) {
    const s = summary.get(p.gridId) ?? { total: 0, elderly: 0, child: 0, tags: {} };
    summary.set(p.gridId, s);
    s.total++;
    const age = ageOn(p.birthDate, today);
    if (age >= 60) s.elderly++;
    if (age < 18) s.child++;
    for (const t of p.tags) s.tags[t] = (s.tags[t] ?? 0) + 1;
  }
  // A worker may hold grids of several communities, each with a 第1–7网格: named with the community.
  const labels = await unitLabels(db, gridIds);
  return {
    grids: grids.map((g) => ({
      id: g.id,
      code: g.code,
      name: labels.get(g.id) ?? g.name,
      houses: houses.get(g.id) ?? 0,
      residents: summary.get(g.id) ?? { total: 0, elderly: 0, child: 0, tags: {} },
      buildings: buildings
        .filter((b) => b.gridId === g.id)
        .map((b) => ({
          id: b.id,
          code: b.code,
          name: b.name,
          houses: housesByBuilding.get(b.id) ?? 0,
          residents: residentsByBuilding.get(b.id) ?? 0,
        })),
    })),
  };
}
