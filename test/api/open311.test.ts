import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open311Key, open311Request } from '../../src/modules/open311/schema.js';
import { workOrder } from '../../src/modules/work-orders/schema.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { drawGrid, form, issueKey } from '../helpers/open311.js';
import { applyStep } from '../helpers/work-orders.js';

/**
 * Open311 GeoReport v2 against the spec's examples (http://wiki.open311.org/GeoReport_v2): the same
 * requests, the same response shapes, with our data.
 */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
let admin: Awaited<ReturnType<typeof buildUser>>;
let worker: Awaited<ReturnType<typeof buildUser>>;
let apiKey: string;
let keyId: string;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  await drawGrid(t, tree, '民族社区');
  admin = await buildUser(t, 'cityAdmin', tree.city);
  worker = await buildUser(t, 'communityWorker', tree.community);
  ({ key: apiKey, id: keyId } = await issueKey(t, admin, '城市随手拍 App', tree));
});
afterAll(() => t.close());

describe('keys', () => {
  it('shows a key once, keeps only its hash, lists and revokes it; others may not manage keys', async () => {
    expect(apiKey).toMatch(/^o311_[\w-]{32}$/);
    const list = await t.app.inject({ url: '/api/open311/keys', headers: admin.headers });
    expect(list.statusCode).toBe(200);
    const mine = list.json().find((k: any) => k.id === keyId);
    expect(mine).toMatchObject({ name: '城市随手拍 App', keyPrefix: apiKey.slice(0, 9), revokedAt: null });
    expect(JSON.stringify(list.json())).not.toContain(apiKey);
    const [stored] = await t.ctx.db.select().from(open311Key).where(eq(open311Key.id, keyId));
    expect(stored.keyHash).toBe(createHash('sha256').update(apiKey).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(apiKey);

    expect((await t.app.inject({ url: '/api/open311/keys', headers: worker.headers })).statusCode).toBe(403);

    const spare = await t.app.inject({
      method: 'POST',
      url: '/api/open311/keys',
      headers: admin.headers,
      payload: { name: '测试吊销' },
    });
    const revoke = await t.app.inject({
      method: 'POST',
      url: `/api/open311/keys/${spare.json().id}/revoke`,
      headers: admin.headers,
    });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json().revokedAt).toBeTruthy();
    const refused = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...form({
        api_key: spare.json().key,
        service_code: 'city.environment',
        lat: '40.005',
        long: '110.005',
      }),
    });
    expect(refused.statusCode).toBe(403);
  });
});

describe('discovery and services', () => {
  it('discovery.json and .xml list the v2 endpoint and formats', async () => {
    const res = await t.app.inject({ url: '/open311/v2/discovery.json' });
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(Object.keys(d).sort()).toEqual(['changeset', 'contact', 'endpoints', 'key_service']);
    expect(d.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      type: 'production',
      formats: ['text/xml', 'application/json'],
    });
    expect(d.endpoints[0].url).toMatch(/\/open311\/v2$/);
    const xml = await t.app.inject({ url: '/open311/v2/discovery.xml' });
    expect(xml.headers['content-type']).toContain('text/xml');
    expect(xml.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<discovery><changeset>/);
    expect(xml.body).toContain(
      '<formats><format>text/xml</format><format>application/json</format></formats>',
    );
  });

  it('services are the leaf public categories; staff-only and groups are not offered', async () => {
    const res = await t.app.inject({ url: '/open311/v2/services.json' });
    expect(res.statusCode).toBe(200);
    const services = res.json();
    const env = services.find((s: any) => s.service_code === 'city.environment');
    expect(env).toEqual({
      service_code: 'city.environment',
      service_name: '市容环境',
      description: expect.stringContaining('市容环境'),
      metadata: false,
      type: 'realtime',
      keywords: expect.stringContaining('市容环境'),
      group: '城市管理（GB/T 30428）',
    });
    const codes = services.map((s: any) => s.service_code);
    expect(codes).toContain('livelihood.heating');
    expect(codes).not.toContain('city');
    expect(codes.some((c: string) => c.startsWith('internal.'))).toBe(false);

    const xml = await t.app.inject({ url: '/open311/v2/services.xml' });
    expect(xml.body).toContain(
      '<service><service_code>city.environment</service_code><service_name>市容环境</service_name>',
    );
    expect(xml.body).toContain('<metadata>false</metadata><type>realtime</type>');

    const def = await t.app.inject({ url: '/open311/v2/services/city.environment.json' });
    expect(def.json()).toEqual({ service_code: 'city.environment', attributes: [] });
    const unknown = await t.app.inject({ url: '/open311/v2/services/nope.json' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual([{ code: 404, description: expect.any(String) }]);
    const staffOnly = await t.app.inject({ url: '/open311/v2/services/internal.safety.xml' });
    expect(staffOnly.statusCode).toBe(404);
    expect(staffOnly.body).toMatch(
      /<errors><error><code>404<\/code><description>.+<\/description><\/error><\/errors>/,
    );
  });
});

describe('requests', () => {
  // The spec's POST example, with a point in our grid and a Chinese phone number.
  const example = () => ({
    api_key: apiKey,
    service_code: 'city.environment',
    lat: '40.005',
    long: '110.005',
    address_string: '民族社区 5 号楼前',
    email: 'smit222@example.com',
    device_id: 'tt222111',
    account_id: '123456',
    first_name: 'john',
    last_name: 'smith',
    phone: '13912345678',
    description: 'A large sinkhole is destroying the street <路面塌陷> & 积水',
    media_url: 'http://www.city.gov/media/12345.jpg',
  });
  let number: string;
  let token: string;

  it('POST requests.json files a work order visible in /api/work-orders', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', ...form(example()) });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toHaveLength(1);
    // Created at once: the id, and no token (the spec returns one or the other).
    expect(body[0]).toEqual({
      service_request_id: expect.stringMatching(/^GD\d{12}$/),
      service_notice: expect.any(String),
      account_id: '123456',
    });
    number = body[0].service_request_id;
    [{ token }] = await t.ctx.db
      .select({ token: open311Request.token })
      .from(open311Request)
      .innerJoin(workOrder, eq(workOrder.id, open311Request.workOrderId))
      .where(eq(workOrder.number, number));
    const list = await t.app.inject({ url: `/api/work-orders?q=${number}`, headers: worker.headers });
    expect(list.statusCode).toBe(200);
    const [item] = list.json().items;
    expect(item).toMatchObject({
      number,
      channel: 'openApi',
      status: 'submitted',
      placeId: tree.grid.id,
      reporterName: 'john smith',
      address: '民族社区 5 号楼前',
    });
    const tokens = await t.app.inject({ url: `/open311/v2/tokens/${token}.json` });
    expect(tokens.json()).toEqual([{ service_request_id: number, token }]);
  });

  it('POST requests.xml answers in XML; a point outside every grid is placed by address_string', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      ...form({
        api_key: apiKey,
        service_code: 'livelihood.noise',
        lat: '41.5',
        long: '111.5',
        address_string: '民族社区三号院',
        description: '夜间施工噪音',
      }),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toMatch(
      /<service_requests><request><service_request_id>GD\d{12}<\/service_request_id><service_notice>.*<\/service_notice><account_id><\/account_id><\/request><\/service_requests>/,
    );
    const id = /<service_request_id>(\w+)</.exec(res.body)![1];
    const [row] = await t.ctx.db.select().from(workOrder).where(eq(workOrder.number, id));
    expect(row.placeId).toBe(tree.community.id);
    expect(row.anonymous).toBe(true);
  });

  it('refuses a missing or bad api_key with 403, bad input with 400, unknown service with 404', async () => {
    const { api_key: _k, ...noKey } = example();
    const missing = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', ...form(noKey) });
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual([{ code: 403, description: expect.any(String) }]);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      ...form({ ...example(), api_key: 'o311_wrong' }),
    });
    expect(bad.statusCode).toBe(403);
    expect(bad.body).toContain('<errors><error><code>403</code>');
    const cases: [Record<string, string>, number][] = [
      [{ service_code: 'nope' }, 404],
      [{ service_code: '' }, 400],
      [{ lat: 'north' }, 400],
      [{ lat: '', long: '', address_string: '' }, 400],
      [{ lat: '', long: '', address_string: '不存在的地方' }, 400],
      [{ media_url: 'javascript:alert(1)' }, 400],
      [{ email: 'not-an-email' }, 400],
      [{ description: 'x'.repeat(4001) }, 400],
    ];
    for (const [change, status] of cases) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/open311/v2/requests.json',
        ...form({ ...example(), ...change }),
      });
      expect(res.statusCode, JSON.stringify(change)).toBe(status);
      expect(res.json()[0]).toEqual({ code: status, description: expect.any(String) });
    }
  });

  it('GET requests/{id} gives the spec fields; unknown ids are 404', async () => {
    const res = await t.app.inject({ url: `/open311/v2/requests/${number}.json` });
    expect(res.statusCode).toBe(200);
    const [r] = res.json();
    expect(Object.keys(r).sort()).toEqual(
      [
        'service_request_id',
        'status',
        'status_notes',
        'service_name',
        'service_code',
        'description',
        'agency_responsible',
        'service_notice',
        'requested_datetime',
        'updated_datetime',
        'expected_datetime',
        'address',
        'address_id',
        'zipcode',
        'lat',
        'long',
        'media_url',
      ].sort(),
    );
    expect(r).toMatchObject({
      service_request_id: number,
      status: 'open',
      status_notes: null,
      service_name: '市容环境',
      service_code: 'city.environment',
      lat: 40.005,
      long: 110.005,
      media_url: 'http://www.city.gov/media/12345.jpg',
    });
    expect(r.requested_datetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(r.expected_datetime).toMatch(/\+08:00$/);
    expect(JSON.stringify(r)).not.toMatch(/13912345678|smit222|john/);

    const xml = await t.app.inject({ url: `/open311/v2/requests/${number}.xml` });
    expect(xml.body).toContain(`<service_request_id>${number}</service_request_id><status>open</status>`);
    // Escaped, not broken: the description carries < > &.
    expect(xml.body).toContain('&lt;路面塌陷&gt; &amp; 积水');
    expect(xml.body).toContain('<address_id></address_id>');

    expect((await t.app.inject({ url: '/open311/v2/requests/GD000000000000.json' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/open311/v2/tokens/nope.xml' })).statusCode).toBe(404);
  });

  it('status is closed once the loop closes, with the reply as status_notes and the handler as agency', async () => {
    const [row] = await t.ctx.db.select().from(workOrder).where(eq(workOrder.number, number));
    const step = (payload: object, who = worker) => applyStep(t, who.headers, row.id, payload);
    const gridWorker = await buildUser(t, 'gridWorker', tree.grid);
    await step({ type: 'accepted' });
    await step({ type: 'dispatched', handlerUnitId: tree.grid.id, text: '内部：先联系物业' });
    await step({ type: 'accepted' }, gridWorker);
    let [r] = (await t.app.inject({ url: `/open311/v2/requests/${number}.json` })).json();
    expect(r.status).toBe('open');
    expect(r.agency_responsible).toBe(`民族社区 ${tree.grid.name}`);
    expect(r.status_notes).toBeNull();
    await step({ type: 'resolved', outcome: 'resolved', text: '塌陷处已回填并铺设路面' }, gridWorker);
    await step({ type: 'verified', text: '内部：物业费用另议' });
    [r] = (await t.app.inject({ url: `/open311/v2/requests/${number}.json` })).json();
    // The reply in the words a resident reads; staff notes (派单, 核实) are not published.
    expect(r).toMatchObject({ status: 'closed', status_notes: '已办理完毕：塌陷处已回填并铺设路面' });

    const closed = await t.app.inject({ url: '/open311/v2/requests.json?status=closed' });
    expect(closed.json().map((x: any) => x.service_request_id)).toEqual([number]);
    const open = await t.app.inject({ url: '/open311/v2/requests.json?status=open' });
    expect(open.json().map((x: any) => x.service_request_id)).not.toContain(number);
  });

  it('GET requests.json filters as the spec example does, by ids, code and period', async () => {
    const all = (await t.app.inject({ url: '/open311/v2/requests.json' })).json();
    expect(all.length).toBe(2);
    // The spec's example: a past period with status open finds nothing of ours.
    const past = await t.app.inject({
      url: '/open311/v2/requests.xml?start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z&status=open',
    });
    expect(past.statusCode).toBe(200);
    expect(past.body).toContain('<service_requests></service_requests>');
    const byIds = await t.app.inject({
      url: `/open311/v2/requests.json?service_request_id=${number},GD000000000000&status=open`,
    });
    expect(byIds.json().map((x: any) => x.service_request_id)).toEqual([number]);
    const byCode = await t.app.inject({ url: '/open311/v2/requests.json?service_code=livelihood.noise' });
    expect(byCode.json()).toHaveLength(1);
    expect(byCode.json()[0].service_code).toBe('livelihood.noise');
    const badStatus = await t.app.inject({ url: '/open311/v2/requests.json?status=pending' });
    expect(badStatus.statusCode).toBe(400);
    const badDate = await t.app.inject({ url: '/open311/v2/requests.json?start_date=yesterday' });
    expect(badDate.statusCode).toBe(400);
  });

  it('only Open311 requests are published: a hotline work order is not found here', async () => {
    const staff = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: worker.headers,
      payload: {
        channel: 'hotline',
        categoryId: (await t.app.inject({ url: '/api/work-order-categories', headers: worker.headers }))
          .json()
          .find((c: any) => c.code === 'livelihood.neighbours').id,
        description: '邻居家漏水，协调未果',
        placeId: tree.community.id,
        reporterName: '王女士',
      },
    });
    expect(staff.statusCode, staff.body).toBe(201);
    const [row] = await t.ctx.db.select().from(workOrder).where(eq(workOrder.id, staff.json().id));
    expect((await t.app.inject({ url: `/open311/v2/requests/${row.number}.json` })).statusCode).toBe(404);
  });
});
