import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { file } from '../../src/platform/files/schema.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { multipartBody } from '../helpers/multipart.js';

let t: TestApp;
let worker: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  t = await createTestApp();
  const tree = await buildOrgTree(t.ctx.db);
  worker = await buildUser(t, 'gridWorker', tree.grid);
});
afterAll(() => t.close());

const upload = (name: string, type: string, bytes: Buffer) => {
  const body = multipartBody({}, [{ name, type, bytes }]);
  return t.app.inject({
    method: 'POST',
    url: '/api/files',
    ...body,
    headers: { ...body.headers, ...worker.headers },
  });
};

function chunk(type: string, data: Buffer) {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
}

/** A valid PNG header claiming `width`×`height` pixels, with a few bytes of image data: tiny on disk. */
function hugePng(width: number, height: number) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const photo = () =>
  sharp({
    create: {
      width: 400,
      height: 300,
      channels: 3,
      background: '#888',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg()
    .toBuffer();

describe('pictures are decoded at upload', () => {
  it('refuses a JPEG that does not decode with 400, naming the problem', async () => {
    const garbage = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 0x5a)]);
    const res = await upload('broken.jpg', 'image/jpeg', garbage);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'IMAGE_UNREADABLE' });
    expect(res.json().message).toContain('图片无法解码');
  });

  it('refuses a JPEG cut off half-way', async () => {
    const whole = await photo();
    const res = await upload('cut.jpg', 'image/jpeg', whole.subarray(0, whole.length >> 1));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('IMAGE_UNREADABLE');
  });

  it('refuses a 30000×30000 PNG with 400 naming the pixel limit, and the server still answers', async () => {
    const bytes = hugePng(30000, 30000);
    expect(bytes.length).toBeLessThan(2000);
    const res = await upload('huge.png', 'image/png', bytes);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    expect(res.json().message).toBe('图片尺寸过大（30000×30000），像素数上限为 200 百万像素');
    expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
  });

  it('still takes a good photo and makes its thumbnail', async () => {
    const res = await upload('ok.jpg', 'image/jpeg', await photo());
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ width: 400, height: 300 });
    const thumb = await t.app.inject({ url: `${res.json().thumbnailUrl}?w=64`, headers: worker.headers });
    expect(thumb.statusCode).toBe(200);
  });

  it('answers 415, not 500, for the thumbnail of a broken picture stored before the check', async () => {
    const bytes = hugePng(30000, 30000);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const path = t.ctx.files.blobPath(sha);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    const [row] = await t.ctx.db
      .insert(file)
      .values({ sha256: sha, mime: 'image/png', size: bytes.length, createdBy: worker.user.id })
      .returning();
    const thumb = await t.app.inject({ url: `/api/files/${row.id}/thumbnail`, headers: worker.headers });
    expect(thumb.statusCode).toBe(415);
    expect(thumb.json().code).toBe('IMAGE_UNREADABLE');
  });
});
