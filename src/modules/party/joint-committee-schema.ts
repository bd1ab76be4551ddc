import { sql } from 'drizzle-orm';
import { char, check, date, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from '../../platform/db/columns.js';
import { ltree } from '../../platform/db/types.js';
import { orgUnit } from '../org/schema.js';
import { partyOrg } from './schema.js';

/**
 * 大工委 / 大党委: a street's or community's committee that takes the party leaders of partner units
 * (驻区单位, 共建单位) in as part-time members, beside the street 党工委 or community 党委 it extends.
 */
export const jointCommittee = pgTable(
  'joint_committee',
  {
    id: id(),
    orgUnitId: uuid('org_unit_id')
      .notNull()
      .references(() => orgUnit.id),
    orgPath: ltree('org_path').notNull(),
    districtCode: char('district_code', { length: 6 }),
    name: text('name').notNull(),
    /** The street 党工委 or community 党委 it extends. */
    partyOrgId: uuid('party_org_id').references(() => partyOrg.id),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('joint_committee_unit_key').on(t.orgUnitId),
    index('joint_committee_path_gist').using('gist', t.orgPath),
  ],
);

/** A member of the joint committee: its own leaders, and 兼职委员 from partner units (with their unit and post there). */
export const jointCommitteeMember = pgTable(
  'joint_committee_member',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => jointCommittee.id),
    name: text('name').notNull(),
    /** secretary | deputy | member | partTime (兼职委员) */
    role: text('role').notNull(),
    /** The partner unit a 兼职委员 comes from, and their post there (e.g. 党委书记). */
    partnerUnit: text('partner_unit'),
    title: text('title'),
    joinedOn: date('joined_on').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('joint_committee_member_committee_idx').on(t.committeeId),
    check('joint_committee_member_partner', sql`${t.role} <> 'partTime' or ${t.partnerUnit} is not null`),
  ],
);

/** 联席会议: a meeting of the joint committee, with who attended, the topics and what was decided. */
export const jointCommitteeMeeting = pgTable(
  'joint_committee_meeting',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => jointCommittee.id),
    orgPath: ltree('org_path').notNull(),
    heldOn: date('held_on').notNull(),
    attendeeIds: uuid('attendee_ids').array().notNull(),
    topics: text('topics').array().notNull(),
    decisions: text('decisions').array().notNull(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [index('joint_committee_meeting_committee_idx').on(t.committeeId, t.heldOn)],
);
