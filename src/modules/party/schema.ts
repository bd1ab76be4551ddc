import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  char,
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.js';
import { ltree } from '../../platform/db/types.js';
import { user } from '../accounts/schema.js';
import { orgUnit } from '../org/schema.js';
import { resident } from '../people/schema.js';

/**
 * A party organisation (党委 / 党工委 / 党总支 / 党支部 / 党小组), a tree of its own whose nodes are
 * attached to the org unit they serve. `org_path` copies that unit's path: scope checks need no join.
 */
export const partyOrg = pgTable(
  'party_org',
  {
    id: id(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => partyOrg.id),
    orgUnitId: uuid('org_unit_id')
      .notNull()
      .references(() => orgUnit.id),
    orgPath: ltree('org_path').notNull(),
    districtCode: char('district_code', { length: 6 }),
    foundedOn: date('founded_on'),
    secretaryMemberId: uuid('secretary_member_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('party_org_path_gist').using('gist', t.orgPath),
    index('party_org_parent_idx').on(t.parentId),
    index('party_org_unit_idx').on(t.orgUnitId),
  ],
);

/** A party member: one record per person on the register, in one organisation at a time. */
export const partyMember = pgTable(
  'party_member',
  {
    id: id(),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => resident.id),
    /** The member's own account, once their claim is confirmed. */
    userId: uuid('user_id').references(() => user.id),
    partyOrgId: uuid('party_org_id')
      .notNull()
      .references(() => partyOrg.id),
    orgPath: ltree('org_path').notNull(),
    districtCode: char('district_code', { length: 6 }),
    joinedOn: date('joined_on'),
    /** full | probationary (正式 / 预备) */
    standing: text('standing').notNull().default('full'),
    inService: boolean('in_service').notNull().default(false),
    workplace: text('workplace'),
    workplaceOrg: text('workplace_org'),
    mobile: boolean('mobile').notNull().default(false),
    mobileWhere: text('mobile_where'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('party_member_resident_key').on(t.residentId),
    uniqueIndex('party_member_user_key').on(t.userId),
    index('party_member_org_idx').on(t.partyOrgId),
    index('party_member_path_gist').using('gist', t.orgPath),
  ],
);

/** 组织关系转接: a member's move between organisations, kept as history. */
export const membershipTransfer = pgTable(
  'membership_transfer',
  {
    id: id(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => partyMember.id),
    fromOrgId: uuid('from_org_id').references(() => partyOrg.id),
    toOrgId: uuid('to_org_id')
      .notNull()
      .references(() => partyOrg.id),
    movedOn: date('moved_on').notNull(),
    reason: text('reason'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [index('membership_transfer_member_idx').on(t.memberId)],
);

/** 积分细则: a versioned rule catalogue of a branch (or of a street's committee for its branches). */
export const pointsCatalog = pgTable(
  'points_catalog',
  {
    id: id(),
    partyOrgId: uuid('party_org_id')
      .notNull()
      .references(() => partyOrg.id),
    version: integer('version').notNull(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('points_catalog_version_key').on(t.partyOrgId, t.version)],
);

/** One scoring item: a fixed category (5) or the branch's own (X), points per entry and a cap per quarter. */
export const pointsItem = pgTable(
  'points_item',
  {
    id: id(),
    catalogId: uuid('catalog_id')
      .notNull()
      .references(() => pointsCatalog.id),
    category: text('category').notNull(),
    name: text('name').notNull(),
    /** Points of one entry (negative for 减分). */
    points: integer('points').notNull(),
    /** Largest total (by absolute value) one member may get from this item in a quarter. */
    capPerQuarter: integer('cap_per_quarter').notNull(),
    /** An event of other work that proposes this item (PointsSource), or null. */
    source: text('source'),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [index('points_item_catalog_idx').on(t.catalogId)],
);

/**
 * 月记: one scored line for a member in a month, recorded by the recorder or claimed by the member.
 * Entries never change once confirmed; a correction is a new entry pointing at the one it corrects.
 */
export const pointsEntry = pgTable(
  'points_entry',
  {
    id: id(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => partyMember.id),
    partyOrgId: uuid('party_org_id')
      .notNull()
      .references(() => partyOrg.id),
    orgPath: ltree('org_path').notNull(),
    districtCode: char('district_code', { length: 6 }),
    itemId: uuid('item_id')
      .notNull()
      .references(() => pointsItem.id),
    catalogId: uuid('catalog_id')
      .notNull()
      .references(() => pointsCatalog.id),
    /** First day of the month scored. */
    month: date('month').notNull(),
    /** e.g. 2026Q3, derived from the month. */
    quarter: text('quarter').notNull(),
    points: integer('points').notNull(),
    note: text('note'),
    /** confirmed | claimed (by the member) or proposed (from other work), awaiting the recorder | refused */
    status: text('status').notNull(),
    /** The record a proposed entry comes from (PointsSource and its id). */
    source: text('source'),
    sourceId: uuid('source_id'),
    correctsId: uuid('corrects_id').references((): AnyPgColumn => pointsEntry.id),
    reason: text('reason'),
    recordedBy: uuid('recorded_by'),
    claimedBy: uuid('claimed_by'),
    decidedBy: uuid('decided_by'),
    decidedAt: tstz('decided_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('points_entry_org_quarter_idx').on(t.partyOrgId, t.quarter, t.status),
    index('points_entry_member_idx').on(t.memberId, t.quarter),
    index('points_entry_path_gist').using('gist', t.orgPath),
    uniqueIndex('points_entry_source_key')
      .on(t.source, t.sourceId, t.memberId)
      .where(sql`${t.source} is not null`),
  ],
);

/** A branch's quarter: open → reviewed (closed) → published (objection window) → final. */
export const pointsQuarter = pgTable(
  'points_quarter',
  {
    id: id(),
    partyOrgId: uuid('party_org_id')
      .notNull()
      .references(() => partyOrg.id),
    orgPath: ltree('org_path').notNull(),
    quarter: text('quarter').notNull(),
    status: text('status').notNull(),
    reviewedBy: uuid('reviewed_by'),
    reviewedAt: tstz('reviewed_at'),
    publishedAt: tstz('published_at'),
    objectionUntil: tstz('objection_until'),
    finalAt: tstz('final_at'),
  },
  (t) => [uniqueIndex('points_quarter_key').on(t.partyOrgId, t.quarter)],
);

/** 异议: a member's objection to a published quarter, answered by the branch. */
export const pointsObjection = pgTable(
  'points_objection',
  {
    id: id(),
    quarterId: uuid('quarter_id')
      .notNull()
      .references(() => pointsQuarter.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => partyMember.id),
    text: text('text').notNull(),
    answer: text('answer'),
    answeredBy: uuid('answered_by'),
    answeredAt: tstz('answered_at'),
    createdAt: createdAt(),
  },
  (t) => [index('points_objection_quarter_idx').on(t.quarterId)],
);

/**
 * 积分存折: double-entry lines. Each transaction writes two lines that sum to zero: the member's
 * account and the counter account (the branch that issued, the shop that took). Lines never change.
 */
export const pointsLedger = pgTable(
  'points_ledger',
  {
    id: id(),
    txnId: uuid('txn_id').notNull(),
    /** member | issuer | shop */
    account: text('account').notNull(),
    /** The member, the issuing organisation or the shop item, by account kind. */
    accountId: uuid('account_id').notNull(),
    amount: integer('amount').notNull(),
    /** earned | redeemed | corrected | expired */
    kind: text('kind').notNull(),
    quarterId: uuid('quarter_id'),
    entryId: uuid('entry_id'),
    redemptionId: uuid('redemption_id'),
    memo: text('memo'),
    createdAt: createdAt(),
  },
  (t) => [
    index('points_ledger_account_idx').on(t.accountId, t.createdAt),
    index('points_ledger_txn_idx').on(t.txnId),
  ],
);

/** The member's balance, kept with the ledger in one transaction; the row lock serialises spending. */
export const pointsBalance = pgTable(
  'points_balance',
  {
    memberId: uuid('member_id')
      .primaryKey()
      .references(() => partyMember.id),
    balance: integer('balance').notNull().default(0),
  },
  (t) => [check('points_balance_not_negative', sql`${t.balance} >= 0`)],
);

/** 积分超市: an item with a point price and stock, offered by an organisation. */
export const pointsShopItem = pgTable(
  'points_shop_item',
  {
    id: id(),
    partyOrgId: uuid('party_org_id')
      .notNull()
      .references(() => partyOrg.id),
    orgPath: ltree('org_path').notNull(),
    name: text('name').notNull(),
    price: integer('price').notNull(),
    stock: integer('stock').notNull(),
    supplier: text('supplier'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    index('points_shop_item_path_gist').using('gist', t.orgPath),
    check('points_shop_item_stock', sql`${t.stock} >= 0`),
    check('points_shop_item_price', sql`${t.price} > 0`),
  ],
);

/** A redemption at the counter: staff confirm it; stock and balance change in the same transaction. */
export const pointsRedemption = pgTable(
  'points_redemption',
  {
    id: id(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => pointsShopItem.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => partyMember.id),
    orgPath: ltree('org_path').notNull(),
    quantity: integer('quantity').notNull(),
    points: integer('points').notNull(),
    confirmedBy: uuid('confirmed_by'),
    createdAt: createdAt(),
  },
  (t) => [
    index('points_redemption_member_idx').on(t.memberId),
    index('points_redemption_item_idx').on(t.itemId),
  ],
);
