import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz, updatedAt } from '../../platform/db/columns.js';
import { ltree } from '../../platform/db/types.js';
import { orgUnit } from '../org/schema.js';

/** An account. `kind` is staff or resident; accounts are disabled, never deleted. */
export const user = pgTable(
  'user',
  {
    id: id(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    kind: text('kind').notNull().default('staff'),
    status: text('status').notNull().default('active'),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    phoneEnc: text('phone_enc'),
    phoneHash: text('phone_hash'),
    /** Signs in with the phone (found by phone_hash); `username` then holds the masked phone and a tag. */
    phoneLogin: boolean('phone_login').notNull().default(false),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: tstz('locked_until'),
    lastLoginAt: tstz('last_login_at'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('user_username_key').on(t.username), index('user_phone_hash_idx').on(t.phoneHash)],
);

/**
 * A (role, org unit) pair: the role applies to the subtree rooted at the unit. `org_path` copies
 * the unit's path so scope checks need no join; a subtree move updates it in the same transaction.
 * A null unit (systemAdmin only) means the whole system.
 */
export const roleAssignment = pgTable(
  'role_assignment',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id),
    role: text('role').notNull(),
    orgUnitId: uuid('org_unit_id').references(() => orgUnit.id),
    orgPath: ltree('org_path'),
    status: text('status').notNull().default('active'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [
    index('role_assignment_user_idx').on(t.userId),
    index('role_assignment_path_gist').using('gist', t.orgPath),
  ],
);

/** Server-side sessions; the cookie/bearer token is stored only as its SHA-256. */
export const session = pgTable(
  'session',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id),
    actingAssignmentId: uuid('acting_assignment_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [uniqueIndex('session_token_hash_key').on(t.tokenHash), index('session_user_idx').on(t.userId)],
);

/**
 * A request that a community or party branch must confirm: `resident` links a registered account
 * to the person on the register (name + ID number, checked by the community); `partyMember` is a
 * resident's claim to membership of a branch. The ID number is kept encrypted with its blind index.
 */
export const accountRequest = pgTable(
  'account_request',
  {
    id: id(),
    kind: text('kind').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id),
    orgUnitId: uuid('org_unit_id')
      .notNull()
      .references(() => orgUnit.id),
    orgPath: ltree('org_path').notNull(),
    name: text('name').notNull(),
    idNumberEnc: text('id_number_enc'),
    idNumberHash: text('id_number_hash'),
    inService: boolean('in_service'),
    workplace: text('workplace'),
    status: text('status').notNull().default('pending'),
    reason: text('reason'),
    decidedBy: uuid('decided_by').references(() => user.id),
    decidedAt: tstz('decided_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('account_request_path_gist').using('gist', t.orgPath),
    index('account_request_user_idx').on(t.userId),
    index('account_request_status_idx').on(t.kind, t.status),
    // One person, one account: an ID number is claimed by one live (pending or confirmed) request.
    uniqueIndex('account_request_resident_id_key')
      .on(t.idNumberHash)
      .where(sql`kind = 'resident' and status <> 'rejected'`),
  ],
);
