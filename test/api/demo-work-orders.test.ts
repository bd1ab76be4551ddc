import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateWorkOrders } from '../../src/modules/demo/work-orders-data.js';
import { rebuildProjections } from '../../src/modules/work-orders/projection.js';
import { rowsOf } from '../../src/platform/db/index.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('gives work orders written in bulk the state their event logs project, in batches', async () => {
  const tree = await buildOrgTree(t.ctx.db);
  // More than one batch of 500, so the paging over ids is exercised too.
  await generateWorkOrders(t.ctx.db, tree.district.path, 1200, 2025);
  expect(await rebuildProjections(t.ctx.db)).toBe(1200);
  const [check] = rowsOf<Record<string, number>>(
    await t.ctx.db.execute(sql`select
      count(*)::int as total,
      count(*) filter (where state = '{}'::jsonb)::int as unprojected,
      count(*) filter (where state->>'status' is distinct from status)::int as wrong_status,
      count(*) filter (where state->>'rating' is distinct from rating)::int as wrong_rating,
      count(*) filter (where (state->>'reworkCount')::int is distinct from rework_count)::int as wrong_rework,
      count(*) filter (where rating is not null)::int as rated
      from work_order where org_path <@ ${tree.district.path}::ltree`),
  );
  expect(check).toEqual({
    total: 1200,
    unprojected: 0,
    wrong_status: 0,
    wrong_rating: 0,
    wrong_rework: 0,
    rated: expect.any(Number),
  });
  expect(check.rated).toBeGreaterThan(100);
  // Nothing left to do: a second run projects nothing.
  expect(await rebuildProjections(t.ctx.db)).toBe(0);
});
