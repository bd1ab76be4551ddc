import { sql } from 'drizzle-orm';
import {
  boolean,
  char,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, deletedAt, id, updatedAt } from '../../platform/db/columns.js';
import { ltree } from '../../platform/db/types.js';
import { orgUnit } from '../org/schema.js';

/**
 * The people register (一表通 / 根数据库): houses in buildings (or standalone), households living
 * in houses, residents in households. Each row copies the org path of its place (building, else
 * grid) so scope checks need no join. ID numbers and phones are stored only encrypted, with an
 * HMAC blind index for exact lookups.
 */
export const house = pgTable(
  'house',
  {
    id: id(),
    gridId: uuid('grid_id')
      .notNull()
      .references(() => orgUnit.id),
    /** Null for a standalone house (bungalow, pastoral household) known by its address. */
    buildingId: uuid('building_id').references(() => orgUnit.id),
    unit: integer('unit'),
    floor: integer('floor'),
    room: text('room'),
    address: text('address').notNull(),
    use: text('use').notNull(),
    area: doublePrecision('area'),
    ownerName: text('owner_name'),
    /**
     * Placed by an address that names only its community: put in the community's first grid until
     * someone chooses its real grid (the console's 待选网格 list).
     */
    needsGrid: boolean('needs_grid').notNull().default(false),
    orgPath: ltree('org_path').notNull(),
    districtCode: char('district_code', { length: 6 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    index('house_path_gist').using('gist', t.orgPath),
    uniqueIndex('house_room_key')
      .on(t.buildingId, t.unit, t.room)
      .where(sql`${t.deletedAt} is null and ${t.buildingId} is not null`),
    index('house_address_trgm').using('gin', sql`${t.address} gin_trgm_ops`),
    // The house list's default order (address, id): a page is read off the index, not sorted.
    index('house_address_idx').on(t.address, t.id),
    index('house_needs_grid_idx').on(t.gridId).where(sql`${t.needsGrid} and ${t.deletedAt} is null`),
  ],
);

export const household = pgTable(
  'household',
  {
    id: id(),
    houseId: uuid('house_id')
      .notNull()
      .references(() => house.id),
    headResidentId: uuid('head_resident_id'),
    registrationType: text('registration_type').notNull(),
    orgPath: ltree('org_path').notNull(),
    districtCode: char('district_code', { length: 6 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
  },
  (t) => [index('household_path_gist').using('gist', t.orgPath), index('household_house_idx').on(t.houseId)],
);

/** A household's moves from house to house (its history; the current house is on the household). */
export const householdMove = pgTable(
  'household_move',
  {
    id: id(),
    householdId: uuid('household_id')
      .notNull()
      .references(() => household.id),
    fromHouseId: uuid('from_house_id').references(() => house.id),
    toHouseId: uuid('to_house_id')
      .notNull()
      .references(() => house.id),
    movedOn: date('moved_on').notNull(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [index('household_move_household_idx').on(t.householdId, t.movedOn)],
);

export const resident = pgTable(
  'resident',
  {
    id: id(),
    name: text('name').notNull(),
    /** Pinyin initials of the name (张三丰 → zsf) for search from a phone keyboard. */
    nameInitials: text('name_initials').notNull(),
    gender: text('gender').notNull(),
    birthDate: date('birth_date').notNull(),
    ethnicity: char('ethnicity', { length: 2 }).notNull(),
    documentType: text('document_type').notNull().default('idCard'),
    idNumberCipher: text('id_number_cipher').notNull(),
    idNumberIndex: text('id_number_index').notNull(),
    phoneCipher: text('phone_cipher'),
    phoneIndex: text('phone_index'),
    residenceStatus: text('residence_status').notNull(),
    politicalStatus: text('political_status').notNull().default('masses'),
    education: text('education'),
    employment: text('employment'),
    employer: text('employer'),
    healthNotes: text('health_notes'),
    tags: text('tags').array().notNull().default([]),
    /** active | movedOut | deceased — departed and deceased people leave the active lists, not the register. */
    status: text('status').notNull().default('active'),
    gridId: uuid('grid_id')
      .notNull()
      .references(() => orgUnit.id),
    houseId: uuid('house_id').references(() => house.id),
    orgPath: ltree('org_path').notNull(),
    districtCode: char('district_code', { length: 6 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    uniqueIndex('resident_id_number_key').on(t.idNumberIndex).where(sql`${t.deletedAt} is null`),
    index('resident_phone_idx').on(t.phoneIndex),
    index('resident_path_gist').using('gist', t.orgPath),
    index('resident_tags_gin').using('gin', t.tags),
    index('resident_name_trgm').using('gin', sql`${t.name} gin_trgm_ops`),
    // Two-character searches (a full name like 王伟, a given name like 建军) have no trigram: their
    // bigrams do. name_bigrams() is created by the same migration (0013).
    index('resident_name_bigrams_gin').using('gin', sql`name_bigrams(${t.name})`),
    // text_pattern_ops: `like 'wj%'` becomes a range scan under any collation (C.UTF-8 too).
    index('resident_initials_idx').on(t.nameInitials.op('text_pattern_ops')),
    // The list's default order (created_at desc, id desc): a page is read off the index, not sorted.
    index('resident_created_idx').on(t.createdAt, t.id),
    // Sorting by name (the list's name column): a page off the index instead of sorting 580k names.
    index('resident_name_idx').on(t.name, t.id),
    index('resident_birth_idx').on(t.birthDate),
    index('resident_house_idx').on(t.houseId),
  ],
);

/** Membership of a household with the GB/T 4761 relation to its head; one open membership per person. */
export const householdMember = pgTable(
  'household_member',
  {
    id: id(),
    householdId: uuid('household_id')
      .notNull()
      .references(() => household.id),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => resident.id),
    relation: char('relation', { length: 2 }).notNull(),
    joinedOn: date('joined_on'),
    leftOn: date('left_on'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('household_member_current_key').on(t.residentId).where(sql`${t.leftOn} is null`),
    index('household_member_household_idx').on(t.householdId),
  ],
);

/** Life events (move in, move out, death) with their dates: a person's history in the register. */
export const residentEvent = pgTable(
  'resident_event',
  {
    id: id(),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => resident.id),
    kind: text('kind').notNull(),
    occurredOn: date('occurred_on').notNull(),
    houseId: uuid('house_id').references(() => house.id),
    note: text('note'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [index('resident_event_resident_idx').on(t.residentId, t.occurredOn)],
);

/**
 * A grid worker's household visit (走访): who, when, what they saw, photos (file ids, attached to
 * the visit), and the tags they added or removed on the person while there.
 */
export const residentVisit = pgTable(
  'resident_visit',
  {
    id: id(),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => resident.id),
    householdId: uuid('household_id').references(() => household.id),
    visitedBy: uuid('visited_by'),
    visitorName: text('visitor_name').notNull(),
    visitedAt: timestamp('visited_at', { withTimezone: true }).notNull(),
    notes: text('notes').notNull(),
    photoIds: uuid('photo_ids').array().notNull().default([]),
    tagsAdded: text('tags_added').array().notNull().default([]),
    tagsRemoved: text('tags_removed').array().notNull().default([]),
    orgPath: ltree('org_path').notNull(),
    /** The Idempotency-Key the visit was recorded with (the mobile outbox sends one): once per visitor. */
    idempotencyKey: text('idempotency_key'),
    createdAt: createdAt(),
  },
  (t) => [
    index('resident_visit_resident_idx').on(t.residentId, t.visitedAt),
    index('resident_visit_path_gist').using('gist', t.orgPath),
    uniqueIndex('resident_visit_key_idx')
      .on(t.visitedBy, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
  ],
);

/**
 * 迁入申请: a community asks to register a person whose ID number the register holds outside its
 * reach. The holding community (or a unit above it) accepts — the person moves to the requested
 * place, with move-out and move-in events — or declines with a reason. The requester never learns
 * where the person was registered.
 */
export const residentTransfer = pgTable(
  'resident_transfer',
  {
    id: id(),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => resident.id),
    /** The place asked for: a grid, a house in it, and a household in that house with the relation to its head. */
    toGridId: uuid('to_grid_id')
      .notNull()
      .references(() => orgUnit.id),
    toHouseId: uuid('to_house_id').references(() => house.id),
    toHouseholdId: uuid('to_household_id').references(() => household.id),
    relation: char('relation', { length: 2 }),
    toOrgPath: ltree('to_org_path').notNull(),
    districtCode: char('district_code', { length: 6 }),
    /** As the requester typed them: the name they know the person by, their residence status here. */
    name: text('name').notNull(),
    residenceStatus: text('residence_status').notNull(),
    /** pending | accepted | declined */
    status: text('status').notNull().default('pending'),
    reason: text('reason'),
    requestedBy: uuid('requested_by').notNull(),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('resident_transfer_to_gist').using('gist', t.toOrgPath),
    index('resident_transfer_resident_idx').on(t.residentId),
    // One open request per person and requesting place: asking again answers the same request.
    uniqueIndex('resident_transfer_pending_key')
      .on(t.residentId, t.toOrgPath)
      .where(sql`${t.status} = 'pending'`),
  ],
);
