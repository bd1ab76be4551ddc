import { sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/index.js';
import { rowsOf } from '../../platform/db/index.js';

/** Counts under a unit — streets, communities, grids by type, buildings — in one indexed subtree scan. */
export async function countsUnder(ex: Executor, path: string) {
  const rows = rowsOf<{ kind: string; subtype: string | null; n: number }>(
    await ex.execute(sql`select kind, case when kind = 'grid' then subtype end as subtype, count(*)::int as n
      from org_unit where path <@ ${path}::ltree and path <> ${path}::ltree and deleted_at is null
      group by 1, 2`),
  );
  const byKind: Record<string, number> = {};
  const gridsByType: Record<string, number> = {};
  for (const r of rows) {
    byKind[r.kind] = (byKind[r.kind] ?? 0) + r.n;
    if (r.kind === 'grid' && r.subtype) gridsByType[r.subtype] = r.n;
  }
  return { byKind, gridsByType };
}
