import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rectangle } from '../../src/modules/org/geometry.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The offline base map: district, street and community outlines dissolved from the grids, so a map
 * with no tile server still shows where one unit ends and the next begins.
 */
let t: TestApp;
let tree: Awaited<ReturnType<typeof buildOrgTree>>;
beforeAll(async () => {
  t = await createTestApp();
  tree = await buildOrgTree(t.ctx.db);
  const h = await t.asAdmin();
  // Two grids side by side in one community, one more east of them in the neighbour community,
  // and one far to the north in the other street's community.
  const grids = [
    [tree.community, rectangle(110.0, 40.0, 110.01, 40.01)],
    [tree.community, rectangle(110.01, 40.0, 110.02, 40.01)],
    [tree.neighbourCommunity, rectangle(110.02, 40.0, 110.03, 40.01)],
    [tree.farCommunity, rectangle(110.0, 40.05, 110.01, 40.06)],
  ] as const;
  for (const [i, [parent, boundary]] of grids.entries()) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/grids',
      headers: h,
      payload: { parentId: parent.id, name: `第${i + 1}网格`, type: 'basic', boundary },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(() => t.close());

const outlines = async (headers: Record<string, string>, orgUnitId?: string) => {
  const res = await t.app.inject({
    url: `/api/grids/outlines${orgUnitId ? `?orgUnitId=${orgUnitId}` : ''}`,
    headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().features as {
    geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
    properties: { kind: string; id: string; name: string; labelAt: [number, number] };
  }[];
};
const ringBox = (ring: number[][]) => [
  Math.min(...ring.map((p) => p[0])),
  Math.min(...ring.map((p) => p[1])),
  Math.max(...ring.map((p) => p[0])),
  Math.max(...ring.map((p) => p[1])),
];

describe('unit outlines from grids', () => {
  it('dissolves grids into one outline per community, street and district, outer units first', async () => {
    const features = await outlines(await t.asAdmin(), tree.district.id);
    expect(features.map((f) => f.properties.kind)).toEqual([
      'district',
      'street',
      'street',
      'community',
      'community',
      'community',
    ]);
    const of = (id: string) => features.find((f) => f.properties.id === id)!;

    // Two touching grids make one polygon with one ring: their shared edge is gone.
    const community = of(tree.community.id).geometry.coordinates;
    expect(community).toHaveLength(1);
    expect(community[0]).toHaveLength(1);
    expect(ringBox(community[0][0]).map((v) => Number(v.toFixed(6)))).toEqual([110, 40, 110.02, 40.01]);
    expect(community[0][0].length).toBeLessThanOrEqual(7);

    // The street holds both communities, side by side: again one polygon.
    const street = of(tree.street.id).geometry.coordinates;
    expect(street).toHaveLength(1);
    expect(ringBox(street[0][0]).map((v) => Number(v.toFixed(6)))).toEqual([110, 40, 110.03, 40.01]);
    // The district: the street's polygon and the far one, apart.
    expect(of(tree.district.id).geometry.coordinates).toHaveLength(2);

    // Each name goes at a point inside its outline.
    const [lng, lat] = of(tree.community.id).properties.labelAt;
    expect(lng).toBeGreaterThan(110);
    expect(lng).toBeLessThan(110.02);
    expect(lat).toBeGreaterThan(40);
    expect(lat).toBeLessThan(40.01);
  });

  it('shows a community worker their own community only', async () => {
    const worker = await buildUser(t, 'communityWorker', tree.community);
    const mine = await outlines(worker.headers);
    expect(mine.map((f) => f.properties.id)).toEqual([tree.community.id]);
    expect(await outlines(worker.headers, tree.neighbourCommunity.id)).toEqual([]);
  });

  it('refuses a malformed unit with 400 naming the field, and an unknown one with 404', async () => {
    const h = await t.asAdmin();
    const bad = await t.app.inject({ url: '/api/grids/outlines?orgUnitId=abc', headers: h });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('orgUnitId');
    const unknown = await t.app.inject({
      url: '/api/grids/outlines?orgUnitId=0190a0a0-0000-7000-8000-000000000000',
      headers: h,
    });
    expect(unknown.statusCode).toBe(404);
  });
});
