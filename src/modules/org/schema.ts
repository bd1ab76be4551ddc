import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  char,
  index,
  integer,
  jsonb,
  pgTable,
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
