import { index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from '../db/columns.js';
import { ltree } from '../db/types.js';

/**
 * An uploaded file. Bytes live under DATA_DIR/files by SHA-256 (identical uploads share them);
 * `org_path` is set when the file is attached to a record and decides who may read it.
 */
export const file = pgTable(
  'file',
  {
    id: id(),
    sha256: text('sha256').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    name: text('name'),
    width: integer('width'),
    height: integer('height'),
    ownerType: text('owner_type'),
    ownerId: text('owner_id'),
    orgPath: ltree('org_path'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [index('file_sha_idx').on(t.sha256), index('file_owner_idx').on(t.ownerType, t.ownerId)],
);
