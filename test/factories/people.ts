import { building } from '../../src/modules/org/schema.js';
import { createHouse, type HouseInput } from '../../src/modules/people/houses.js';
import { createResident, type ResidentInput } from '../../src/modules/people/residents.js';
import type { SessionUser } from '../../src/platform/auth/authorize.js';
import type { AppContext, Caller } from '../../src/platform/context.js';
import { idNumberCheckChar } from '../../src/platform/id-number.js';
import { newId } from '../../src/platform/ids.js';
import { buildOrgUnit, type OrgUnitRow } from './org.js';

/** The system itself, for factories: a system-wide admin that is nobody in particular. */
export const factoryCaller: Caller = {
  user: {
    id: newId(),
    username: 'factory',
    displayName: 'factory',
    kind: 'staff',
    assignments: [{ id: newId(), role: 'systemAdmin', orgUnitId: null, orgPath: null, orgName: null }],
    actingAssignmentId: null,
    sessionId: '',
  } satisfies SessionUser,
  ip: null,
  requestId: null,
  locale: 'zh-CN',
};

let serial = 0;

/** A valid GB 11643 number for a birth date (`YYYY-MM-DD`) and gender, unique per call. */
export function validIdNumber(
  birthDate = '1980-01-01',
  gender: 'male' | 'female' = 'male',
  area?: string,
): string {
  serial += 1;
  let seq = (serial * 2) % 1000;
  if (gender === 'male') seq = (seq + 1) % 1000;
  // 500 sequence numbers per area and day; then the next (made-up) area code.
  const where = area ?? `15${String(602 + Math.floor(serial / 500)).padStart(4, '0')}`;
  const body = `${where}${birthDate.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return body + idNumberCheckChar(body);
}

let phoneSerial = 0;
export const validPhone = () => `139${String(++phoneSerial + 1000).padStart(8, '0')}`;

/** A building (org unit with its detail row) in a grid. */
export async function buildBuilding(ctx: AppContext, grid: OrgUnitRow) {
  const unit = await buildOrgUnit(ctx.db, {
    parent: grid,
    kind: 'building',
    code: `${grid.code}B${++serial}`,
  });
  await ctx.db.insert(building).values({
    orgUnitId: unit.id,
    lng: 110,
    lat: 40,
    address: `测试路${serial}号楼`,
    qrToken: `qr-${unit.id}`,
    districtCode: unit.districtCode ?? '150602',
  });
  return unit;
}

/** A house in the building (one is made in the grid if not given). */
export async function buildHouse(ctx: AppContext, grid: OrgUnitRow, overrides: Partial<HouseInput> = {}) {
  const buildingId =
    overrides.buildingId === undefined ? (await buildBuilding(ctx, grid)).id : overrides.buildingId;
  return createHouse(ctx, factoryCaller, {
    gridId: grid.id,
    buildingId,
    unit: 1,
    room: String(100 + ++serial),
    use: 'selfOccupied',
    ...(buildingId ? {} : { address: `测试嘎查${serial}号` }),
    ...overrides,
  });
}

/** A resident in a grid (in a new house there unless `houseId` is given); a valid ID number is made up. */
export async function buildResident(
  ctx: AppContext,
  grid: OrgUnitRow,
  overrides: Partial<ResidentInput> & { birthDate?: string } = {},
) {
  const birthDate = overrides.birthDate ?? '1980-01-01';
  const houseId = overrides.houseId ?? (await buildHouse(ctx, grid)).id;
  const made = await createResident(ctx, factoryCaller, {
    name: `测试居民${++serial}`,
    idNumber: validIdNumber(birthDate, overrides.gender ?? 'male'),
    ethnicity: '01',
    residenceStatus: 'registered',
    ...overrides,
    birthDate: overrides.idNumber ? overrides.birthDate : undefined,
    houseId,
  });
  // The factory's caller sees the whole register: a number is never held out of its reach.
  if (made.kind !== 'created') throw new Error('buildResident: the ID number is already registered');
  return made.resident;
}
