import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workOrder, workOrderCategory } from '../../src/modules/work-orders/schema.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { multipartBody } from '../helpers/multipart.js';

/**
 * Issue 15 (Open311, attributes): a category's questions are asked in the phone's 随手拍 form too.
 * The phone sends its answers as one JSON field of the multipart report (src/web/m/Questions.tsx);
 * the server checks them against the category and keeps them on the work order.
 */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let resident: Awaited<ReturnType<typeof buildUser>>;
let worker: Awaited<ReturnType<typeof buildUser>>;
let categoryId: string;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  resident = await buildUser(t, 'resident', tree.community);
  worker = await buildUser(t, 'communityWorker', tree.community);
  const [cat] = await t.ctx.db
    .select()
    .from(workOrderCategory)
    .where(eq(workOrderCategory.code, 'city.facilities'));
  categoryId = cat.id;
  const questions = [
    {
      code: 'kind',
      description: '哪类设施？',
      datatype: 'singlevaluelist',
      required: true,
      order: 1,
      values: [
        { key: 'lamp', name: '路灯' },
        { key: 'cover', name: '井盖' },
      ],
    },
    { code: 'count', description: '数量', datatype: 'number', required: false, order: 2 },
  ];
  const patched = await t.app.inject({
    method: 'PATCH',
    url: `/api/work-order-categories/${categoryId}`,
    headers: await t.asAdmin(),
    payload: { questions },
  });
  expect(patched.statusCode, patched.body).toBe(200);
});
afterAll(() => t.close());

const report = (answers?: object) => {
  const fields: Record<string, string> = {
    categoryId,
    description: '小区东门的路灯坏了一周',
    placeId: tree.community.id,
  };
  if (answers) fields.answers = JSON.stringify(answers);
  const body = multipartBody(fields);
  return t.app.inject({
    method: 'POST',
    url: '/api/work-orders/reports',
    headers: { ...resident.headers, ...body.headers },
    payload: body.payload,
  });
};

describe("the phone's 随手拍 with a category's questions", () => {
  it('lists the questions with the category the form is drawn from', async () => {
    const cats = (
      await t.app.inject({ url: '/api/work-order-categories', headers: resident.headers })
    ).json();
    const cat = cats.find((c: { id: string }) => c.id === categoryId);
    expect(cat.questions.map((q: { code: string }) => q.code)).toEqual(['kind', 'count']);
  });

  it('refuses a report missing a required answer or with a wrong one, naming the question, and writes nothing', async () => {
    const before = (await t.ctx.db.select().from(workOrder)).length;
    for (const answers of [undefined, { kind: 'bench' }, { kind: 'lamp', count: 'many' }]) {
      const res = await report(answers);
      expect(res.statusCode, res.body).toBe(400);
      expect(
        res
          .json()
          .fields.map((f: { path: string }) => f.path)
          .join(' '),
      ).toMatch(/answers\.(kind|count)/);
    }
    expect((await t.ctx.db.select().from(workOrder)).length).toBe(before);
  });

  it('keeps the answers on the work order, shown to staff by the questions’ words', async () => {
    const res = await report({ kind: 'lamp', count: '2' });
    expect(res.statusCode, res.body).toBe(201);
    const detail = await t.app.inject({ url: `/api/work-orders/${res.json().id}`, headers: worker.headers });
    expect(detail.json().answers).toEqual([
      { code: 'kind', description: '哪类设施？', value: '路灯' },
      { code: 'count', description: '数量', value: '2' },
    ]);
  });
});
