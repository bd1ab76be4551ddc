import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workOrderCategory } from '../../src/modules/work-orders/schema.js';
import { rowsOf } from '../../src/platform/db/index.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** A category's questions as the console edits them: checked, audited, asked in the report form. */
let t: TestApp;
let district: { authorization: string };
let worker: { authorization: string };
let resident: { authorization: string };
let id: string;

beforeAll(async () => {
  t = await createTestApp();
  const tree = await buildOrgTree(t.ctx.db);
  district = (await buildUser(t, 'districtStaff', tree.district)).headers;
  worker = (await buildUser(t, 'communityWorker', tree.community)).headers;
  resident = (await buildUser(t, 'resident', tree.grid)).headers;
  [{ id }] = await t.ctx.db
    .select({ id: workOrderCategory.id })
    .from(workOrderCategory)
    .where(eq(workOrderCategory.code, 'livelihood.heating'));
});
afterAll(() => t.close());

const questions = [
  {
    code: 'room',
    description: '室内温度',
    datatype: 'number',
    required: true,
    order: 1,
    hint: '单位：℃',
  },
  {
    code: 'where',
    description: '哪里不热',
    datatype: 'multivaluelist',
    required: false,
    order: 2,
    values: [
      { key: 'bedroom', name: '卧室' },
      { key: 'living', name: '客厅' },
    ],
  },
];

const patch = (h: object, payload: object) =>
  t.app.inject({ method: 'PATCH', url: `/api/work-order-categories/${id}`, headers: h as any, payload });

describe('category questions', () => {
  it('are saved by staff who configure categories and audited as such; others get 403', async () => {
    expect((await patch(worker, { questions })).statusCode).toBe(403);
    const res = await patch(district, { questions });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().questions.map((q: { code: string }) => q.code)).toEqual(['room', 'where']);
    const [entry] = rowsOf<{ summary: string }>(
      await t.ctx.db.execute(
        sql`select summary from audit_event where action = 'workOrder.categoryUpdated' order by at desc limit 1`,
      ),
    );
    expect(entry.summary).toBe('修改诉求类别 供暖 的上报问题（2 个）');
  });

  it('refuses a choice question without choices and a repeated code, naming the field in Chinese', async () => {
    const bad = await patch(district, {
      questions: [
        { ...questions[1], values: [] },
        { ...questions[0], code: 'where' },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toEqual([
      { path: 'questions.0.values', message: '选择题须列出选项' },
      { path: 'questions.1.code', message: '问题编码重复' },
    ]);
  });

  it('are answered in a report and the answers read back on the work order, choices by name', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders/reports',
      headers: resident,
      payload: {
        categoryId: id,
        description: '暖气片冰凉，家里很冷',
        answers: { room: '14', where: ['bedroom', 'living'] },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const order = await t.app.inject({ url: `/api/work-orders/${res.json().id}`, headers: resident });
    expect(order.json().answers).toEqual([
      { code: 'room', description: '室内温度', value: '14' },
      { code: 'where', description: '哪里不热', value: '卧室、客厅' },
    ]);
  });
});
