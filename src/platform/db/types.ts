import { customType } from 'drizzle-orm/pg-core';

/** PostgreSQL `ltree`: the materialized org-tree path (codes joined by `.`). */
export const ltree = customType<{ data: string }>({
  dataType() {
    return 'ltree';
  },
});
