import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workOrderCategory } from '../../src/modules/work-orders/schema.js';
import { rowsOf } from '../../src/platform/db/index.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { multipartBody } from '../helpers/multipart.js';

/** A 随手拍 that is refused, at whatever step, leaves no file row and no file on disk. */
let t: TestApp;
let resident: Awaited<ReturnType<typeof buildUser>>;
let categoryId: string;
let colour = 0;

beforeAll(async () => {
  t = await createTestApp();
  const tree = await buildOrgTree(t.ctx.db);
  resident = await buildUser(t, 'resident', tree.grid);
  [{ id: categoryId }] = await t.ctx.db
    .select({ id: workOrderCategory.id })
    .from(workOrderCategory)
    .where(eq(workOrderCategory.code, 'city.environment'));
});
afterAll(() => t.close());

/** A new picture each time, so its bytes can never already be stored. */
const photo = () =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 10, g: ++colour, b: 99 } } })
    .jpeg()
    .toBuffer();

const blobs = () =>
  existsSync(t.ctx.files.dir)
    ? readdirSync(t.ctx.files.dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).length
    : 0;
const fileRows = async () =>
  rowsOf<{ n: number }>(await t.ctx.db.execute(sql`select count(*)::int as n from file`))[0].n;

async function report(
  fields: Record<string, string>,
  files: { name: string; type: string; bytes: Buffer }[],
) {
  const body = multipartBody(
    fields,
    files.map((f) => ({ ...f, field: 'photo' })),
  );
  return t.app.inject({
    method: 'POST',
    url: '/api/work-orders/reports',
    headers: { ...resident.headers, ...body.headers },
    payload: body.payload,
  });
}

describe('a refused 随手拍 writes nothing', () => {
  it('refused for its fields, its category, or a bad second photo: no file row, no file', async () => {
    const valid = { categoryId, description: '垃圾桶满了没人清运' };
    const cases: [string, Record<string, string>, { name: string; type: string; bytes: Buffer }[], number][] =
      [
        ['description too short', { ...valid, description: '脏' }, [], 400],
        ['unknown category', { ...valid, categoryId: '0190a0a0-0000-7000-8000-000000000000' }, [], 400],
        [
          'a PDF after a good photo',
          valid,
          [{ name: 'note.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n') }],
          415,
        ],
        [
          'a broken picture after a good photo',
          valid,
          [{ name: 'b.jpg', type: 'image/jpeg', bytes: (await photo()).subarray(0, 120) }],
          400,
        ],
      ];
    for (const [what, fields, extra, status] of cases) {
      const [rowsBefore, blobsBefore] = [await fileRows(), blobs()];
      const res = await report(fields, [
        { name: 'ok.jpg', type: 'image/jpeg', bytes: await photo() },
        ...extra,
      ]);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      expect(await fileRows(), what).toBe(rowsBefore);
      expect(blobs(), what).toBe(blobsBefore);
    }
  });

  it('an accepted report keeps its photo, and a refused one keeps a photo stored before it', async () => {
    const bytes = await photo();
    const ok = await report({ categoryId, description: '路灯不亮已经三天' }, [
      { name: 'lamp.jpg', type: 'image/jpeg', bytes },
    ]);
    expect(ok.statusCode, ok.body).toBe(201);
    const [rowsBefore, blobsBefore] = [await fileRows(), blobs()];
    // The same picture again, refused for its second file: the first report's file stays.
    const refused = await report({ categoryId, description: '路灯不亮已经三天' }, [
      { name: 'lamp.jpg', type: 'image/jpeg', bytes },
      { name: 'x.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n') },
    ]);
    expect(refused.statusCode).toBe(415);
    expect([await fileRows(), blobs()]).toEqual([rowsBefore, blobsBefore]);
    const [stored] = rowsOf<{ sha256: string }>(
      await t.ctx.db.execute(sql`select sha256 from file where owner_type = 'workOrder'`),
    );
    expect(readdirSync(join(t.ctx.files.dir, stored.sha256.slice(0, 2)))).toContain(stored.sha256);
  });
});
