import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IntakeRow, IntakeWriter } from '../../src/modules/work-orders/intake-writer.js';
import { workOrderCategory } from '../../src/modules/work-orders/schema.js';
import { rowsOf } from '../../src/platform/db/index.js';
import { newId } from '../../src/platform/ids.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let worker: Awaited<ReturnType<typeof buildUser>>;
let heating: string;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  worker = await buildUser(t, 'communityWorker', tree.community, { displayName: '热线坐席' });
  [{ id: heating }] = await t.ctx.db
    .select()
    .from(workOrderCategory)
    .where(eq(workOrderCategory.code, 'livelihood.heating'));
});
afterAll(() => t.close());

const intake = (description: string, headers: Record<string, string>, placeId = tree.community.id) =>
  t.app.inject({
    method: 'POST',
    url: '/api/work-orders',
    headers: { ...worker.headers, ...headers },
    payload: { channel: 'hotline', categoryId: heating, description, placeId },
  });

/** An intake as the writer takes it, at the community, on `day`. */
const row = (externalNo: string | null, day = '2026-11-20'): IntakeRow => ({
  id: newId(),
  eventId: newId(),
  key: null,
  userId: worker.user.id,
  actorName: '热线坐席',
  placeId: tree.community.id,
  named: true,
  day,
  channel: 'hotline',
  categoryId: heating,
  title: '供暖',
  description: '暖气不热',
  lng: null,
  lat: null,
  address: null,
  reporterUserId: null,
  reporterName: null,
  phoneEnc: null,
  phoneHash: null,
  anonymous: false,
  urgency: 'normal',
  externalNo,
  answers: null,
  status: 'submitted',
  dueAt: new Date('2026-11-27T00:00:00Z'),
  state: {},
  createdAt: new Date('2026-11-20T02:00:00Z'),
  eventData: {},
});

describe('intakes written together', () => {
  it('numbers a burst of concurrent intakes once each, without gaps, keys and bad places apart', async () => {
    const burst = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) =>
        intake(`暖气不热 ${i}`, { 'idempotency-key': `burst-key-${i}` }),
      ),
      ...Array.from({ length: 3 }, () => intake('同一来电重试', { 'idempotency-key': 'burst-key-same' })),
      intake('地点不对', {}, tree.department.id),
    ]);
    expect(burst.slice(0, 40).every((r) => r.statusCode === 201)).toBe(true);
    const retried = burst.slice(40, 43);
    expect(new Set(retried.map((r) => r.json().id)).size).toBe(1);
    expect(retried.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    expect(burst[43].statusCode).toBe(400);
    expect(burst[43].json().fields[0].path).toBe('placeId');
    const numbers = rowsOf<{ number: string }>(
      await t.ctx.db.execute(sql`select number from work_order order by number`),
    ).map((r) => Number(r.number.slice(-4)));
    expect(numbers).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    // Each order has its first event, and the community's worker was told of each.
    const [counts] = rowsOf<{ events: number; notices: number }>(
      await t.ctx.db.execute(sql`select
        (select count(*)::int from work_order_event where type = 'created') as events,
        (select count(*)::int from notification where kind = 'workOrder.submitted'
          and user_id = ${worker.user.id}::uuid) as notices`),
    );
    expect(counts).toEqual({ events: 41, notices: 41 });
  });

  it('retries a failed batch row by row, so only the bad row fails', async () => {
    const writer = new IntakeWriter(t.ctx.db);
    // Four at once: the first is written alone, the other three wait and go as one batch, which
    // fails on the repeated 12345 number and is then written row by row.
    const results = await Promise.allSettled([
      writer.write(row('RX-0')),
      writer.write(row('RX-1')),
      writer.write(row('RX-2')),
      writer.write(row('RX-1')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    const numbers = rowsOf<{ number: string }>(
      await t.ctx.db.execute(
        sql`select number from work_order where external_no like 'RX-%' order by number`,
      ),
    ).map((r) => r.number);
    expect(numbers).toEqual(['GD202611200001', 'GD202611200002', 'GD202611200003']);
  });

  it('numbers past 9999 in a day with more digits, not cut to four', async () => {
    await t.ctx.db.execute(
      sql`insert into work_order_serial (district_code, day, last) values (${tree.district.code}, '2026-11-21', 9998)`,
    );
    const writer = new IntakeWriter(t.ctx.db);
    await Promise.all([1, 2, 3].map(() => writer.write(row(null, '2026-11-21'))));
    const numbers = rowsOf<{ number: string }>(
      await t.ctx.db.execute(
        sql`select number from work_order where number like 'GD20261121%' order by created_at, number`,
      ),
    ).map((r) => r.number);
    expect(numbers.sort()).toEqual(['GD2026112110000', 'GD2026112110001', 'GD202611219999']);
  });
});
