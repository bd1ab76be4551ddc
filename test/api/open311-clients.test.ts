import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { building } from '../../src/modules/org/schema.js';
import { workOrder, workOrderCategory } from '../../src/modules/work-orders/schema.js';
import { file } from '../../src/platform/files/schema.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { buildBuilding } from '../factories/people.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { multipartBody } from '../helpers/multipart.js';
import { drawGrid, form, issueKey } from '../helpers/open311.js';

/**
 * Open311 as third-party clients call it: mySociety's FixMyStreet (multipart POSTs with photos,
 * `attribute[...]` of its own, repeated parameters), Code for America's Ruby and Python clients
 * (urlencoded forms with `jurisdiction_id`, dates with a raw `+08:00`), browser clients (CORS) and
 * a validator (impossible dates, unknown formats, errors as the spec's array everywhere).
 */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let admin: Awaited<ReturnType<typeof buildUser>>;
let worker: Awaited<ReturnType<typeof buildUser>>;
let apiKey: string;
let house: Awaited<ReturnType<typeof buildBuilding>>;

const post = (fields: Record<string, string> | [string, string][], format = 'json') =>
  t.app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, ...form(fields) });
const orderOf = async (number: string) =>
  (await t.ctx.db.select().from(workOrder).where(eq(workOrder.number, number)))[0];
const spec400 = (res: { statusCode: number; json(): any }) => {
  expect(res.statusCode).toBe(400);
  expect(res.json()).toEqual([{ code: 400, description: expect.any(String) }]);
};

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  await drawGrid(t, tree, '民族社区');
  house = await buildBuilding(t.ctx, tree.grid);
  await t.ctx.db.update(building).set({ lng: 110.004, lat: 40.006 }).where(eq(building.orgUnitId, house.id));
  admin = await buildUser(t, 'cityAdmin', tree.city);
  worker = await buildUser(t, 'communityWorker', tree.community);
  apiKey = (await issueKey(t, admin, 'FixMyStreet', tree)).key;
});
afterAll(() => t.close());

const base = () => ({ api_key: apiKey, service_code: 'city.environment', description: '垃圾桶满溢' });

describe('FixMyStreet', () => {
  it('a multipart POST with photos files the report, keeps the photos and publishes them as media_url', async () => {
    const jpeg = await sharp({ create: { width: 16, height: 12, channels: 3, background: '#c33' } })
      .jpeg()
      .withMetadata({ exif: { IFD0: { Make: 'PhoneMaker' } } })
      .toBuffer();
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#3c3' } })
      .png()
      .toBuffer();
    const res = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      ...multipartBody(
        {
          ...base(),
          lat: '40.005',
          long: '110.005',
          email: 'reporter@example.org',
          first_name: 'Jo',
          last_name: 'Bloggs',
          phone: '07700 900000',
          'attribute[title]': 'Overflowing bin',
          'attribute[report_url]': 'https://fixmystreet.example/report/1',
          'attribute[fixmystreet_id]': '1',
        },
        [
          { field: 'photo1', name: '1.jpeg', type: 'image/jpeg', bytes: jpeg },
          { field: 'photo2', name: '2.png', type: 'image/png', bytes: png },
        ],
      ),
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    const number = /<service_request_id>(GD\d+)</.exec(res.body)![1];
    expect(res.body).not.toContain('<token>');
    const order = await orderOf(number);
    const photos = await t.ctx.db
      .select()
      .from(file)
      .where(and(eq(file.ownerType, 'workOrder'), eq(file.ownerId, order.id)));
    expect(photos.map((p) => p.mime).sort()).toEqual(['image/jpeg', 'image/png']);
    // The phone number is kept as given (not a mainland number) and the answer to no question is dropped.
    expect(order.reporterPhoneEnc).toBeTruthy();
    expect(t.ctx.pii.decrypt(order.reporterPhoneEnc!)).toBe('07700 900000');
    expect(order.answers).toBeNull();

    const [r] = (await t.app.inject({ url: `/open311/v2/requests/${number}.json` })).json();
    expect(r.media_url).toMatch(/^http:\/\/localhost(:\d+)?\/open311\/v2\/media\/[0-9a-f-]{36}$/);
    const media = await t.app.inject({
      url: new URL(r.media_url).pathname,
      headers: { origin: 'https://x.org' },
    });
    expect(media.statusCode).toBe(200);
    expect(media.headers['content-type']).toBe('image/jpeg');
    expect(media.headers['access-control-allow-origin']).toBe('*');
    expect(media.rawPayload.includes(Buffer.from('PhoneMaker'))).toBe(false);
    // Only photos of an Open311 request are public, and only as reported.
    // Another id (its last digit changed, never to itself: an id ending in 0 made this pass by chance).
    const otherId = photos[0].id.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const other = await t.app.inject({ url: `/open311/v2/media/${otherId}` });
    expect(other.statusCode).toBe(404);
    expect(other.json()).toEqual([{ code: 404, description: expect.any(String) }]);
  });

  it('a multipart POST whose report is refused stores no photo', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#33c' } })
      .png()
      .toBuffer();
    const before = (await t.ctx.db.select().from(file)).length;
    const res = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...multipartBody({ ...base(), lat: '41.5', long: '111.5', address_string: '月球' }, [
        { field: 'photo1', name: '1.png', type: 'image/png', bytes: png },
      ]),
    });
    spec400(res);
    const pdf = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...multipartBody({ ...base(), lat: '40.005', long: '110.005' }, [
        { field: 'photo1', name: 'x.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n') },
      ]),
    });
    expect(pdf.statusCode).toBeGreaterThanOrEqual(400);
    expect(pdf.statusCode).toBeLessThan(500);
    expect((await t.ctx.db.select().from(file)).length).toBe(before);
  });

  it('repeated service_request_id parameters filter to those requests', async () => {
    const a = (await post({ ...base(), lat: '40.001', long: '110.001' })).json()[0].service_request_id;
    const b = (await post({ ...base(), lat: '40.002', long: '110.002' })).json()[0].service_request_id;
    await post({ ...base(), lat: '40.003', long: '110.003' });
    const res = await t.app.inject({
      url: `/open311/v2/requests.json?service_request_id=${a}&service_request_id=${b}`,
    });
    expect(res.statusCode).toBe(200);
    expect(
      res
        .json()
        .map((r: any) => r.service_request_id)
        .sort(),
    ).toEqual([a, b].sort());
    const codes = await t.app.inject({
      url: '/open311/v2/requests.json?service_code=livelihood.noise&service_code=city.environment',
    });
    expect(codes.json().length).toBeGreaterThanOrEqual(3);
    spec400(
      await t.app.inject({ url: '/open311/v2/requests.json?start_date=2026-01-01&start_date=2026-02-01' }),
    );
  });
});

describe('Code for America clients', () => {
  it('a Ruby/Python form post with jurisdiction_id, the spec example phone and an international one is filed', async () => {
    for (const phone of ['111111111', '+44 20 7946 0958', '+86 139-1234-5678']) {
      const res = await post({
        jurisdiction_id: 'city.gov',
        ...base(),
        lat: '40.005',
        long: '110.005',
        phone,
        first_name: 'john',
      });
      expect(res.statusCode, res.body).toBe(200);
      const order = await orderOf(res.json()[0].service_request_id);
      expect(t.ctx.pii.decrypt(order.reporterPhoneEnc!)).toBe(
        phone === '+86 139-1234-5678' ? '13912345678' : phone,
      );
    }
  });

  it('dates with a raw + offset (decoded as a space) are read as the offset', async () => {
    const raw = await t.app.inject({
      url: '/open311/v2/requests.json?start_date=2020-01-01T00:00:00+08:00&end_date=2099-01-01T00:00:00+08:00',
    });
    expect(raw.statusCode, raw.body).toBe(200);
    expect(raw.json().length).toBeGreaterThan(0);
    const encoded = await t.app.inject({
      url: '/open311/v2/requests.json?start_date=2020-01-01T00:00:00%2B08:00&end_date=2099-01-01T00:00:00Z',
    });
    expect(encoded.json().length).toBe(raw.json().length);
  });
});

describe('a validator', () => {
  it('refuses year 0000, negative years, impossible days and a start after the end with the spec error array', async () => {
    for (const q of [
      'start_date=0000-01-01T00:00:00Z',
      'end_date=-0001-01-01T00:00:00Z',
      'start_date=-2026-01-01',
      'start_date=2026-02-30T00:00:00Z',
      'end_date=2026-13-01',
      'start_date=2026-11-20T24:00:00Z',
      'start_date=2026-11-20T00:00:00Z&end_date=2026-11-01T00:00:00Z',
    ]) {
      const res = await t.app.inject({ url: `/open311/v2/requests.json?${q}` });
      expect(res.statusCode, q).toBe(400);
      expect(res.json(), q).toEqual([{ code: 400, description: expect.any(String) }]);
    }
    const xml = await t.app.inject({ url: '/open311/v2/requests.xml?start_date=2026-02-30' });
    expect(xml.statusCode).toBe(400);
    expect(xml.body).toContain('<errors><error><code>400</code>');
  });

  it('a NUL byte in a path segment, the query or a form field is a 400 with the spec error array', async () => {
    for (const url of ['/open311/v2/tokens/%00.json', '/open311/v2/requests.json?service_code=%00']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toEqual([{ code: 400, description: expect.any(String) }]);
    }
    const xml = await t.app.inject({ url: '/open311/v2/requests/GD%00.xml' });
    expect(xml.statusCode).toBe(400);
    expect(xml.body).toContain('<errors><error><code>400</code>');
    const before = await t.ctx.db.select({ id: workOrder.id }).from(workOrder);
    spec400(await post({ ...base(), lat: '40.005', long: '110.005', description: 'bad\u0000text' }));
    const multipart = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...multipartBody({ ...base(), lat: '40.005', long: '110.005', description: 'bad\u0000text' }),
    });
    spec400(multipart);
    expect(await t.ctx.db.select({ id: workOrder.id }).from(workOrder)).toHaveLength(before.length);
  });

  it('an unknown format extension or path gets the spec error array, in XML for .xml', async () => {
    for (const url of ['/open311/v2/services.csv', '/open311/v2/requests.yaml', '/open311/v2/nothing']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toEqual([{ code: 404, description: expect.any(String) }]);
    }
    const xml = await t.app.inject({ url: '/open311/v2/services/none.xml' });
    expect(xml.statusCode).toBe(404);
    expect(xml.body).toContain('<errors><error><code>404</code>');
  });

  it('a group or unknown service_code is 404, for a definition and for a POST', async () => {
    for (const code of ['city', 'livelihood', 'internal.safety', 'nope']) {
      const def = await t.app.inject({ url: `/open311/v2/services/${code}.json` });
      expect(def.statusCode, code).toBe(404);
      const res = await post({ ...base(), service_code: code, lat: '40.005', long: '110.005' });
      expect(res.statusCode, code).toBe(404);
      expect(res.json()).toEqual([{ code: 404, description: expect.stringContaining(code) }]);
    }
  });
});

describe('places', () => {
  it('address_id takes our building or grid code; the request gets its point', async () => {
    const byBuilding = await post({ ...base(), address_id: house.code });
    expect(byBuilding.statusCode, byBuilding.body).toBe(200);
    const number = byBuilding.json()[0].service_request_id;
    // A building's report belongs to its grid (as every intake does); the code and point are the building's.
    expect((await orderOf(number)).placeId).toBe(tree.grid.id);
    const [r] = (await t.app.inject({ url: `/open311/v2/requests/${number}.json` })).json();
    expect(r).toMatchObject({ address_id: house.code, lat: 40.006, long: 110.004 });

    const byGrid = await post({ ...base(), address_id: tree.grid.code });
    expect(byGrid.statusCode, byGrid.body).toBe(200);
    const g = await orderOf(byGrid.json()[0].service_request_id);
    expect(g.placeId).toBe(tree.grid.id);
    expect(g.lng).toBeCloseTo(110.005, 9);
    expect(g.lat).toBeCloseTo(40.005, 9);

    spec400(await post({ ...base(), address_id: 'NOPE-1' }));
    // A unit outside the key's district is not ours to place in.
    spec400(await post({ ...base(), address_id: tree.region.code }));
  });

  it('a request placed by address_string comes back with its place point', async () => {
    const res = await post({ ...base(), address_string: '民族社区北门' });
    expect(res.statusCode, res.body).toBe(200);
    const [r] = (
      await t.app.inject({ url: `/open311/v2/requests/${res.json()[0].service_request_id}.json` })
    ).json();
    expect(r.lat).not.toBeNull();
    expect(r.long).not.toBeNull();
  });
});

describe('service definitions', () => {
  it('a category with questions has metadata, attributes as the spec lists them, and checked answers', async () => {
    const [cat] = await t.ctx.db
      .select()
      .from(workOrderCategory)
      .where(eq(workOrderCategory.code, 'city.facilities'));
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
      { code: 'count', description: '数量', datatype: 'number', required: false, order: 2, hint: '个' },
      {
        code: 'harm',
        description: '影响',
        datatype: 'multivaluelist',
        required: false,
        order: 3,
        values: [
          { key: 'night', name: '夜间无照明' },
          { key: 'traffic', name: '影响通行' },
        ],
      },
      { code: 'since', description: '何时发现', datatype: 'datetime', required: false, order: 4 },
    ];
    const bad = await t.app.inject({
      method: 'PATCH',
      url: `/api/work-order-categories/${cat.id}`,
      headers: await t.asAdmin(),
      payload: { questions: [{ ...questions[0], values: [] }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('questions.0.values');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/work-order-categories/${cat.id}`,
      headers: await t.asAdmin(),
      payload: { questions },
    });
    expect(patch.statusCode, patch.body).toBe(200);

    const svc = (await t.app.inject({ url: '/open311/v2/services.json' }))
      .json()
      .find((s: any) => s.service_code === 'city.facilities');
    expect(svc.metadata).toBe(true);
    const def = (await t.app.inject({ url: '/open311/v2/services/city.facilities.json' })).json();
    expect(def.attributes[0]).toEqual({
      variable: true,
      code: 'kind',
      datatype: 'singlevaluelist',
      required: true,
      datatype_description: null,
      order: 1,
      description: '哪类设施？',
      values: [
        { key: 'lamp', name: '路灯' },
        { key: 'cover', name: '井盖' },
      ],
    });
    const xml = await t.app.inject({ url: '/open311/v2/services/city.facilities.xml' });
    expect(xml.body).toContain('<attributes><attribute><variable>true</variable><code>kind</code>');
    expect(xml.body).toContain('<values><value><key>lamp</key><name>路灯</name></value>');

    const at = { ...base(), service_code: 'city.facilities', lat: '40.005', long: '110.005' };
    const missing = await post(at);
    spec400(missing);
    expect(missing.json()[0].description).toContain('attribute[kind]');
    const wrong = await post({ ...at, 'attribute[kind]': 'bench', 'attribute[count]': 'many' });
    spec400(wrong);
    expect(wrong.json()[0].description).toMatch(/attribute\[kind\].*attribute\[count\]/);
    const ok = await post([
      ...Object.entries(at),
      ['attribute[kind]', 'lamp'],
      ['attribute[count]', '3'],
      ['attribute[harm][]', 'night'],
      ['attribute[harm][]', 'traffic'],
      ['attribute[since]', '2026-11-20T19:30:00 08:00'],
    ]);
    expect(ok.statusCode, ok.body).toBe(200);
    const order = await orderOf(ok.json()[0].service_request_id);
    expect(order.answers).toEqual({
      kind: 'lamp',
      count: 3,
      harm: ['night', 'traffic'],
      since: '2026-11-20T19:30:00+08:00',
    });
    const detail = await t.app.inject({ url: `/api/work-orders/${order.id}`, headers: worker.headers });
    expect(detail.json().answers).toEqual([
      { code: 'kind', description: '哪类设施？', value: '路灯' },
      { code: 'count', description: '数量', value: '3' },
      { code: 'harm', description: '影响', value: '夜间无照明、影响通行' },
      { code: 'since', description: '何时发现', value: '2026-11-20T19:30:00+08:00' },
    ]);
  });
});

describe('browsers and proxies', () => {
  it('answers CORS preflights and lets any origin read and post', async () => {
    const pre = await t.app.inject({
      method: 'OPTIONS',
      url: '/open311/v2/requests.json',
      headers: {
        origin: 'https://app.example.org',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    expect(pre.headers['access-control-allow-methods']).toContain('POST');
    expect(pre.headers['access-control-allow-headers']).toBe('content-type');
    const get = await t.app.inject({
      url: '/open311/v2/services.json',
      headers: { origin: 'https://x.org' },
    });
    expect(get.headers['access-control-allow-origin']).toBe('*');
    expect(get.headers['access-control-allow-credentials']).toBeUndefined();
    const created = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { origin: 'https://x.org', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...base(), lat: '40.005', long: '110.005' }).toString(),
    });
    expect(created.statusCode).toBe(200);
    expect(created.headers['access-control-allow-origin']).toBe('*');
    // The console's API stays same-origin.
    const api = await t.app.inject({ url: '/api/health', headers: { origin: 'https://x.org' } });
    expect(api.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('discovery honours X-Forwarded-Proto and -Host only with TRUST_PROXY', async () => {
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'open311.gov.example' };
    const direct = (await t.app.inject({ url: '/open311/v2/discovery.json', headers })).json();
    expect(direct.endpoints[0].url).toMatch(/^http:\/\/localhost(:\d+)?\/open311\/v2$/);
    const proxied = await buildApp(
      { ...t.ctx, config: { ...t.ctx.config, TRUST_PROXY: true } },
      { logger: false },
    );
    try {
      const d = (await proxied.inject({ url: '/open311/v2/discovery.json', headers })).json();
      expect(d.endpoints[0].url).toBe('https://open311.gov.example/open311/v2');
    } finally {
      await proxied.close();
    }
  });
});
