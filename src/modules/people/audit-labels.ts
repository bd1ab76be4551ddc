import { eq, inArray } from 'drizzle-orm';
import { labelAuditTargets } from '../../platform/audit/labels.js';
import { house, household, resident, residentTransfer } from './schema.js';

/** People-register records in the audit log: a resident by name, a house by address, a household by its head. */
export function registerPeopleLabels() {
  labelAuditTargets('resident', async (ex, ids) => {
    const rows = await ex
      .select({ id: resident.id, name: resident.name })
      .from(resident)
      .where(inArray(resident.id, ids));
    return new Map(rows.map((r) => [r.id, r.name]));
  });
  labelAuditTargets('residentTransfer', async (ex, ids) => {
    const rows = await ex
      .select({ id: residentTransfer.id, name: residentTransfer.name })
      .from(residentTransfer)
      .where(inArray(residentTransfer.id, ids));
    return new Map(rows.map((r) => [r.id, r.name]));
  });
  labelAuditTargets('house', async (ex, ids) => {
    const rows = await ex
      .select({ id: house.id, address: house.address })
      .from(house)
      .where(inArray(house.id, ids));
    return new Map(rows.map((r) => [r.id, r.address]));
  });
  labelAuditTargets('household', async (ex, ids) => {
    const rows = await ex
      .select({ id: household.id, address: house.address })
      .from(household)
      .innerJoin(house, eq(house.id, household.houseId))
      .where(inArray(household.id, ids));
    return new Map(rows.map((r) => [r.id, r.address]));
  });
}
