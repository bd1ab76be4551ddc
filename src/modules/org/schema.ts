import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  char,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, deletedAt, id, updatedAt } from '../../platform/db/columns.js';
import { ltree } from '../../platform/db/types.js';

/**
 * The org tree: region → city → district → street → community → grid → building, plus
 * department and organisation nodes under a district or city. `path` is the ltree of codes
 * from the root; "everything under X" is `path <@ X.path` on a GiST index.
 */
export const orgUnit = pgTable(
  'org_unit',
  {
    id: id(),
    kind: text('kind').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    shortName: text('short_name'),
    parentId: uuid('parent_id').references((): AnyPgColumn => orgUnit.id),
    path: ltree('path').notNull(),
    level: integer('level').notNull(),
    districtCode: char('district_code', { length: 6 }),
    subtype: text('subtype'),
    sort: integer('sort').notNull().default(0),
    attrs: jsonb('attrs').$type<Record<string, unknown>>().notNull().default({}),
    /** Boundary of an area unit (community, grid…) as a GeoJSON Polygon in WGS-84. */
    boundary: jsonb('boundary').$type<GeoPolygon>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    uniqueIndex('org_unit_code_key').on(t.code),
    index('org_unit_path_gist').using('gist', t.path),
    index('org_unit_parent_idx').on(t.parentId),
    index('org_unit_kind_idx').on(t.kind, t.districtCode),
    index('org_unit_name_trgm').using('gin', sql`${t.name} gin_trgm_ops`),
  ],
);

export interface GeoPolygon {
  type: 'Polygon';
  coordinates: [number, number][][];
}

/** Grid details (网格): a slice of a community of about 300 households. */
export const grid = pgTable(
  'grid',
  {
    orgUnitId: uuid('org_unit_id')
      .primaryKey()
      .references(() => orgUnit.id),
    type: text('type').notNull(),
    minLng: doublePrecision('min_lng'),
    minLat: doublePrecision('min_lat'),
    maxLng: doublePrecision('max_lng'),
    maxLat: doublePrecision('max_lat'),
    targetHouseholds: integer('target_households'),
    coverage: text('coverage'),
    leaderUserId: uuid('leader_user_id'),
    workerUserIds: uuid('worker_user_ids').array().notNull().default([]),
    districtCode: char('district_code', { length: 6 }).notNull(),
  },
  (t) => [index('grid_district_idx').on(t.districtCode, t.type)],
);

/** Building details (楼栋): a point, its layout, its leader and the token its QR code carries. */
export const building = pgTable(
  'building',
  {
    orgUnitId: uuid('org_unit_id')
      .primaryKey()
      .references(() => orgUnit.id),
    lng: doublePrecision('lng').notNull(),
    lat: doublePrecision('lat').notNull(),
    address: text('address'),
    units: integer('units').notNull().default(1),
    floors: integer('floors').notNull().default(1),
    householdsPerUnit: integer('households_per_unit').notNull().default(1),
    leaderUserId: uuid('leader_user_id'),
    qrToken: text('qr_token').notNull(),
    districtCode: char('district_code', { length: 6 }).notNull(),
  },
  (t) => [uniqueIndex('building_qr_key').on(t.qrToken), index('building_district_idx').on(t.districtCode)],
);

/** Last serial handed out per parent and kind: grid and building codes are never reused. */
export const orgSerial = pgTable(
  'org_serial',
  {
    parentId: uuid('parent_id')
      .notNull()
      .references(() => orgUnit.id),
    kind: text('kind').notNull(),
    last: integer('last').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.parentId, t.kind] })],
);
