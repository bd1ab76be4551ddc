import { pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.js';
import { user } from '../accounts/schema.js';
import { orgUnit } from '../org/schema.js';
import { workOrder } from '../work-orders/schema.js';

/**
 * An Open311 GeoReport v2 API key. Only the SHA-256 of the key is kept (the key is shown once, at
 * creation). Each key has its own system user (kind staff, status disabled, no roles, cannot log in):
 * the work orders a key files are created by that user, so the timeline says which app filed them
 * and revoking or disabling the admin who made the key changes nothing. `org_unit_id` is where the
 * key's reports belong when their point lies in no grid: their `address_string` is matched to a
 * community or grid under it.
 */
export const open311Key = pgTable(
  'open311_key',
  {
    id: id(),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull(),
    /** The first characters of the key, to tell keys apart in the console. */
    keyPrefix: text('key_prefix').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => user.id),
    orgUnitId: uuid('org_unit_id').references(() => orgUnit.id),
    createdBy: uuid('created_by').references(() => user.id),
    createdAt: createdAt(),
    lastUsedAt: tstz('last_used_at'),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [uniqueIndex('open311_key_hash_key').on(t.keyHash)],
);

/** What an Open311 client sent beyond the work order itself, and the token it can poll with. */
export const open311Request = pgTable('open311_request', {
  workOrderId: uuid('work_order_id')
    .primaryKey()
    .references(() => workOrder.id),
  token: text('token').notNull().unique(),
  keyId: uuid('key_id')
    .notNull()
    .references(() => open311Key.id),
  accountId: text('account_id'),
  deviceId: text('device_id'),
  email: text('email'),
  mediaUrl: text('media_url'),
  /** The building or grid code the client placed the request by (Open311 `address_id`). */
  addressId: text('address_id'),
  createdAt: createdAt(),
});
