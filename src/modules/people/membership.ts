import { and, eq, isNull, ne } from 'drizzle-orm';
import { authorize } from '../../platform/auth/authorize.js';
import type { Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { invalid } from '../../platform/errors.js';
import { headRelation, relations } from './codes.js';
import { house, household, householdMember, resident } from './schema.js';

/** The household a resident belongs to now (one at a time), with their relation to its head. */
export async function membershipOf(ex: Executor, residentId: string) {
  const [m] = await ex
    .select({ householdId: householdMember.householdId, relation: householdMember.relation })
    .from(householdMember)
    .where(and(eq(householdMember.residentId, residentId), isNull(householdMember.leftOn)));
  return m ?? null;
}

export async function closeMembership(ex: Executor, residentId: string, on: string) {
  await ex
    .update(householdMember)
    .set({ leftOn: on })
    .where(and(eq(householdMember.residentId, residentId), isNull(householdMember.leftOn)));
  // A head who died or moved out heads nothing: the household waits for its 户主变更.
  await ex.update(household).set({ headResidentId: null }).where(eq(household.headResidentId, residentId));
}

export interface JoinFields {
  household: string;
  resident: string;
  relation: string;
}

/**
 * Puts a resident into a household (and so into its house). Refuses a person who is already in
 * another household, a second head, and an unknown relation code, naming the field each time.
 * Caller null: the move was decided by someone entitled to it (an accepted 迁入申请), not by the
 * writer of either place.
 */
export async function joinHousehold(
  ex: Executor,
  caller: Caller | null,
  householdId: string,
  residentId: string,
  relation: string,
  fields: JoinFields | string,
  on: string | null = null,
) {
  const f: JoinFields =
    typeof fields === 'string'
      ? { household: fields, resident: 'id', relation: fields.replace(/householdId$/, 'relation') }
      : fields;
  if (!(relation in relations)) throw invalid(f.relation, '与户主关系代码不在 GB/T 4761 中');
  const [hh] = await ex
    .select({ id: household.id, orgPath: household.orgPath, houseId: household.houseId })
    .from(household)
    .where(and(eq(household.id, householdId), isNull(household.deletedAt)));
  if (!hh) throw invalid(f.household, '户不存在');
  if (caller) authorize(caller.user, 'resident.write', hh.orgPath, { outside: 'forbidden' });
  const [person] = await ex
    .select({ id: resident.id, status: resident.status, orgPath: resident.orgPath })
    .from(resident)
    .where(and(eq(resident.id, residentId), isNull(resident.deletedAt)));
  if (!person) throw invalid(f.resident, '居民不存在');
  if (caller) authorize(caller.user, 'resident.write', person.orgPath, { outside: 'forbidden' });
  if (person.status !== 'active') throw invalid(f.resident, '已迁出或已故的居民不能加入户');
  const current = await membershipOf(ex, residentId);
  if (current?.householdId === householdId) throw invalid(f.resident, '该居民已是本户成员');
  if (current) throw invalid(f.resident, '该居民已在另一户中，一人只能在一户，请先移出原户');
  if (relation === headRelation) {
    const [head] = await ex
      .select({ id: householdMember.id })
      .from(householdMember)
      .where(
        and(
          eq(householdMember.householdId, householdId),
          eq(householdMember.relation, headRelation),
          isNull(householdMember.leftOn),
          ne(householdMember.residentId, residentId),
        ),
      );
    if (head) throw invalid(f.relation, '该户已有户主');
    await ex.update(household).set({ headResidentId: residentId }).where(eq(household.id, householdId));
  }
  await ex.insert(householdMember).values({ householdId, residentId, relation, joinedOn: on });
  const [h] = await ex
    .select({ gridId: house.gridId, orgPath: house.orgPath, districtCode: house.districtCode })
    .from(house)
    .where(eq(house.id, hh.houseId));
  await ex
    .update(resident)
    .set({ houseId: hh.houseId, gridId: h.gridId, orgPath: h.orgPath, districtCode: h.districtCode })
    .where(eq(resident.id, residentId));
}
