import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { callerForUser } from '../../src/modules/accounts/sessions.js';
import { generateWorkOrders } from '../../src/modules/demo/work-orders-data.js';
import { intake } from '../../src/modules/work-orders/intake.js';
import { rebuildProjections } from '../../src/modules/work-orders/projection.js';
import { workOrder, workOrderCategory } from '../../src/modules/work-orders/schema.js';
import { rowsOf } from '../../src/platform/db/index.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
});
afterAll(() => t.close());

it('gives work orders written in bulk the state their event logs project, in batches', async () => {
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

it('advances the day counters it numbers by, so a later intake on any day of the window takes a new number', async () => {
  // The same district already holds a generated year that overlaps this window: numbers go on from it.
  const from = new Date(Date.now() - 372 * 86400_000);
  await generateWorkOrders(t.ctx.db, tree.district.path, 400, from);
  const clerk = await buildUser(t, 'communityWorker', tree.community, { displayName: '热线坐席' });
  const caller = await callerForUser(t.ctx.db, clerk.user.id);
  const [{ id: categoryId }] = await t.ctx.db
    .select()
    .from(workOrderCategory)
    .where(eq(workOrderCategory.code, 'livelihood.heating'));
  // The day before the window, every day of it, and the day after: noon Beijing time each, filed at
  // once (the intake writer numbers them together, as a hotline import does).
  const days = Array.from({ length: 368 }, (_, i) => {
    const at = new Date(from.getTime() + (i - 1) * 86400_000);
    at.setUTCHours(4, 0, 0, 0);
    return at;
  });
  const filed = await Promise.all(
    days.map((at, i) =>
      intake(t.ctx, caller, {
        channel: 'hotline',
        categoryId,
        description: `第 ${i - 1} 天的来电`,
        placeId: tree.community.id,
        createdAt: at,
      }),
    ),
  );
  const numbers = (
    await t.ctx.db
      .select({ number: workOrder.number })
      .from(workOrder)
      .where(
        inArray(
          workOrder.id,
          filed.map((f) => f.id),
        ),
      )
  ).map((r) => r.number);
  expect(new Set(numbers).size).toBe(368);
  // Each counter row holds the day's highest number, whoever numbered it.
  const behind = rowsOf<{ day: string }>(
    await t.ctx.db.execute(sql`select s.day::text from work_order_serial s
      join (select district_code, substr(number, 3, 8) as day, max(substr(number, 11)::int) as top
        from work_order group by 1, 2) w
        on w.district_code = s.district_code and w.day = to_char(s.day, 'YYYYMMDD')
      where s.last <> w.top`),
  );
  expect(behind).toEqual([]);
}, 180_000);

it('writes orders as residents report them, with every step in the past and the person who took it', async () => {
  const [check] = rowsOf<Record<string, number>>(
    await t.ctx.db.execute(sql`select
      count(*) filter (where title like '%群众反映的问题%' or description = '生成的演示工单')::int as placeholders,
      count(distinct title)::int as titles,
      (select count(*)::int from work_order_event e join work_order w on w.id = e.work_order_id
        where w.org_path <@ ${tree.district.path}::ltree and e.at > now()) as future_events,
      (select count(*)::int from work_order_event e join work_order w on w.id = e.work_order_id
        where w.org_path <@ ${tree.district.path}::ltree and e.actor_name is null) as nameless_events,
      count(*) filter (where closed_at > now() or updated_at > now())::int as future_orders
      from work_order where org_path <@ ${tree.district.path}::ltree`),
  );
  expect(check).toEqual({
    placeholders: 0,
    titles: expect.any(Number),
    future_events: 0,
    nameless_events: 0,
    future_orders: 0,
  });
  expect(check.titles).toBeGreaterThan(30);
  // A heating complaint reads like one.
  const [heating] = rowsOf<{ title: string; description: string }>(
    await t.ctx.db.execute(sql`select w.title, w.description from work_order w
      join work_order_category c on c.id = w.category_id
      where c.code = 'livelihood.heating' and w.org_path <@ ${tree.district.path}::ltree limit 1`),
  );
  expect(heating.title).toMatch(/暖气|供热/);
  expect(heating.description.length).toBeGreaterThan(15);
});
