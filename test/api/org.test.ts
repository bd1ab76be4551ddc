import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDivisions } from '../../src/modules/org/divisions.js';
import { rectangle } from '../../src/modules/org/geometry.js';
import { buildUser } from '../factories/accounts.js';
import { findOrgUnit } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('division import', () => {
  it('imports Dongsheng with its 109 village-level units, then the whole region with 14,592, idempotently', async () => {
    const dongsheng = await importDivisions(t.ctx.db, { province: '15', scope: '150602' });
    expect(dongsheng.byKind).toEqual({ city: 1, district: 1, street: 16, community: 109 });
    expect(dongsheng.created).toBe(1 + 1 + 1 + 16 + 109);

    const region = await importDivisions(t.ctx.db, { province: '15' });
    expect(region.byKind.community).toBe(14592);
    expect(region.unchanged).toBe(dongsheng.created);
    const again = await importDivisions(t.ctx.db, { province: '15' });
    expect(again).toMatchObject({ created: 0, updated: 0 });

    const village = await findOrgUnit(t.ctx.db, '150602001001');
    expect(village).toMatchObject({
      kind: 'community',
      path: '15.1506.150602.150602001.150602001001',
      districtCode: '150602',
      subtype: '社区',
    });
  });

  it('runs as a job with progress from the API', async () => {
    const h = await t.asAdmin();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/org/division-imports',
      headers: h,
      payload: { province: '15', scope: '1506' },
    });
    expect(res.statusCode).toBe(202);
    await t.ctx.jobs.runUntilIdle();
    const job = (await t.app.inject({ url: `/api/jobs/${res.json().jobId}`, headers: h })).json();
    expect(job).toMatchObject({ status: 'succeeded', percent: 100 });
    expect(job.result.created).toBe(0);
    expect(job.progressDone).toBe(job.progressTotal);
  });
});

describe('grids and buildings', () => {
  const community = () => findOrgUnit(t.ctx.db, '150602001002');

  it('codes grids after the community, validates polygons, warns on overlap, and never reuses a code', async () => {
    const h = await t.asAdmin();
    const c = await community();
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/grids',
      headers: h,
      payload: {
        parentId: c.id,
        name: '第一网格',
        type: 'basic',
        boundary: rectangle(109.9, 39.8, 109.91, 39.81),
        targetHouseholds: 300,
      },
    });
    expect(first.statusCode).toBe(201);
    expect(first.json().grid.code).toBe('15060200100201');
    expect(first.json().warnings).toEqual([]);

    const overlapping = await t.app.inject({
      method: 'POST',
      url: '/api/grids',
      headers: h,
      payload: {
        parentId: c.id,
        name: '菜市场',
        type: 'exclusive',
        coverage: 'market',
        boundary: rectangle(109.905, 39.8, 109.92, 39.81),
      },
    });
    expect(overlapping.statusCode).toBe(201);
    expect(overlapping.json().grid.code).toBe('15060200100202');
    expect(overlapping.json().warnings[0]).toContain('重叠');

    const bowtie = {
      type: 'Polygon',
      coordinates: [
        [
          [109.9, 39.8],
          [109.91, 39.81],
          [109.91, 39.8],
          [109.9, 39.81],
          [109.9, 39.8],
        ],
      ],
    };
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/grids',
      headers: h,
      payload: { parentId: c.id, name: '坏', type: 'basic', boundary: bowtie },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0]).toMatchObject({ path: 'boundary', message: '边界自相交' });

    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/grids/${overlapping.json().grid.id}`, headers: h }))
        .statusCode,
    ).toBe(200);
    const third = await t.app.inject({
      method: 'POST',
      url: '/api/grids',
      headers: h,
      payload: { parentId: c.id, name: '第三网格', type: 'basic' },
    });
    expect(third.json().grid.code).toBe('15060200100203');
  });

  it('keeps a grid inside its community boundary and a building inside its grid', async () => {
    const h = await t.asAdmin();
    const c = await community();
    await t.ctx.db.execute(
      (await import('drizzle-orm'))
        .sql`update org_unit set boundary = ${JSON.stringify(rectangle(109.9, 39.8, 109.95, 39.85))}::jsonb where id = ${c.id}`,
    );
    const outside = await t.app.inject({
      method: 'POST',
      url: '/api/grids',
      headers: h,
      payload: {
        parentId: c.id,
        name: '越界',
        type: 'basic',
        boundary: rectangle(109.94, 39.84, 109.99, 39.9),
      },
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().fields[0].message).toContain('超出');
    const list = (await t.app.inject({ url: `/api/grids?orgUnitId=${c.id}`, headers: h })).json();
    const gridId = list.items.find((g: any) => g.code === '15060200100201').id;
    const farAway = await t.app.inject({
      method: 'POST',
      url: '/api/buildings',
      headers: h,
      payload: { gridId, name: '1号楼', lng: 110.5, lat: 40 },
    });
    expect(farAway.statusCode).toBe(400);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/buildings',
      headers: h,
      payload: {
        gridId,
        name: '1号楼',
        lng: 109.902,
        lat: 39.805,
        units: 3,
        floors: 11,
        householdsPerUnit: 22,
      },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().code).toBe('15060200100201B001');
    const qr = await t.app.inject({ url: `/api/buildings/${ok.json().id}/qr.svg`, headers: h });
    expect(qr.headers['content-type']).toContain('image/svg+xml');
    expect(qr.body).toContain('<svg');
  });

  it('locates a point in its grid, community, street and district', async () => {
    const h = await t.asAdmin();
    const hit = (await t.app.inject({ url: '/api/grids/locate?lng=109.905&lat=39.805', headers: h })).json();
    expect(hit.found).toBe(true);
    expect(hit.grid.code).toBe('15060200100201');
    expect(hit.community.code).toBe('150602001002');
    expect(hit.street.code).toBe('150602001');
    expect(hit.district.code).toBe('150602');
    const miss = (await t.app.inject({ url: '/api/grids/locate?lng=100&lat=30', headers: h })).json();
    expect(miss.found).toBe(false);
    const roots = (await t.app.inject({ url: '/api/org-units', headers: h })).json();
    expect(roots.items[0]).toMatchObject({ code: '15', hasChildren: true });
    const grids = (await t.app.inject({ url: '/api/grids?q=150602001002', headers: h })).json();
    expect(grids.items.find((g: any) => g.code === '15060200100201')).toMatchObject({
      buildingCount: 1,
      communityName: '锦秀社区',
    });
    const geo = (await t.app.inject({ url: '/api/grids/geojson', headers: h })).json();
    expect(geo.features.some((f: any) => f.properties.kind === 'building')).toBe(true);
  });

  it('shows a community worker only their own community’s grids', async () => {
    const c = await community();
    const other = await findOrgUnit(t.ctx.db, '150602001001');
    const worker = await buildUser(t, 'communityWorker', other);
    const list = (await t.app.inject({ url: '/api/grids', headers: worker.headers })).json();
    expect(list.total).toBe(0);
    const g = (await t.app.inject({ url: `/api/grids?orgUnitId=${c.id}`, headers: await t.asAdmin() })).json()
      .items[0];
    expect((await t.app.inject({ url: `/api/grids/${g.id}`, headers: worker.headers })).statusCode).toBe(404);
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/grids',
      headers: worker.headers,
      payload: { parentId: c.id, name: 'x', type: 'basic' },
    });
    expect(create.statusCode).toBe(403);
  });
});
