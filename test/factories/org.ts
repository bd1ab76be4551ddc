import { eq } from 'drizzle-orm';
import { orgUnit } from '../../src/modules/org/schema.js';
import type { Executor } from '../../src/platform/db/index.js';

export type OrgUnitRow = typeof orgUnit.$inferSelect;

let serial = 0;

/**
 * An org unit under `parent` (or a root region). Codes are unique per call unless given; the
 * district code is inherited, as the real tree does.
 */
export async function buildOrgUnit(
  db: Executor,
  overrides: Partial<typeof orgUnit.$inferInsert> & { parent?: OrgUnitRow | null } = {},
): Promise<OrgUnitRow> {
  const { parent = null, ...rest } = overrides;
  serial += 1;
  const kind = rest.kind ?? (parent ? childKind(parent.kind) : 'region');
  const code = rest.code ?? `${parent ? parent.code : 'T'}${String(serial).padStart(3, '0')}`;
  const districtCode =
    rest.districtCode ?? (kind === 'district' ? code.slice(0, 6) : (parent?.districtCode ?? null));
  const [row] = await db
    .insert(orgUnit)
    .values({
      kind,
      code,
      name: rest.name ?? `测试${kindName[kind] ?? kind}${serial}`,
      parentId: parent?.id ?? null,
      path: parent ? `${parent.path}.${code}` : code,
      level: parent ? parent.level + 1 : 0,
      districtCode,
      ...rest,
    })
    .returning();
  return row;
}

const kindName: Record<string, string> = {
  region: '自治区',
  city: '市',
  district: '区',
  street: '街道',
  community: '社区',
  grid: '网格',
  building: '楼栋',
  department: '部门',
};

function childKind(kind: string): string {
  const order = ['region', 'city', 'district', 'street', 'community', 'grid', 'building'];
  return order[Math.min(order.indexOf(kind) + 1, order.length - 1)];
}

/**
 * A small tree: one district with two streets, two communities in the first street (and one in the
 * second), a grid in each community and a department. Tests use it for "inside / outside" cases.
 */
export async function buildOrgTree(db: Executor) {
  const region = await buildOrgUnit(db, {
    kind: 'region',
    code: `9${String(++serial).padStart(1, '0')}`.slice(0, 2),
  });
  const city = await buildOrgUnit(db, { parent: region, kind: 'city', code: `${region.code}01` });
  const district = await buildOrgUnit(db, { parent: city, kind: 'district', code: `${city.code}02` });
  const street = await buildOrgUnit(db, { parent: district, kind: 'street', code: `${district.code}001` });
  const otherStreet = await buildOrgUnit(db, {
    parent: district,
    kind: 'street',
    code: `${district.code}002`,
  });
  const community = await buildOrgUnit(db, { parent: street, kind: 'community', code: `${street.code}001` });
  const neighbourCommunity = await buildOrgUnit(db, {
    parent: street,
    kind: 'community',
    code: `${street.code}002`,
  });
  const farCommunity = await buildOrgUnit(db, {
    parent: otherStreet,
    kind: 'community',
    code: `${otherStreet.code}001`,
  });
  const grid = await buildOrgUnit(db, { parent: community, kind: 'grid', code: `${community.code}01` });
  const neighbourGrid = await buildOrgUnit(db, {
    parent: neighbourCommunity,
    kind: 'grid',
    code: `${neighbourCommunity.code}01`,
  });
  const department = await buildOrgUnit(db, {
    parent: district,
    kind: 'department',
    code: `${district.code}D01`,
    name: '测试住建局',
  });
  return {
    region,
    city,
    district,
    street,
    otherStreet,
    community,
    neighbourCommunity,
    farCommunity,
    grid,
    neighbourGrid,
    department,
  };
}

export async function findOrgUnit(db: Executor, code: string) {
  const [row] = await db.select().from(orgUnit).where(eq(orgUnit.code, code));
  return row;
}
