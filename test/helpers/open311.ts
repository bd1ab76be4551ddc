import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { rectangle } from '../../src/modules/org/geometry.js';
import { gridIndexFor } from '../../src/modules/org/locate.js';
import { grid, orgUnit } from '../../src/modules/org/schema.js';
import type { buildUser } from '../factories/accounts.js';
import type { buildOrgTree } from '../factories/org.js';
import type { TestApp } from './app.js';

type Tree = Awaited<ReturnType<typeof buildOrgTree>>;

/** An urlencoded form body, as most Open311 clients send (pairs keep repeated parameters). */
export const form = (fields: Record<string, string> | [string, string][]) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
});

/**
 * The tree's grid drawn as a small rectangle near (110, 40), so a report's lat/long places it,
 * and its community named so that addresses can name it.
 */
export async function drawGrid(t: TestApp, tree: Tree, communityName?: string) {
  await t.ctx.db
    .update(orgUnit)
    .set({ boundary: rectangle(110, 40, 110.01, 40.01) })
    .where(eq(orgUnit.id, tree.grid.id));
  if (communityName)
    await t.ctx.db.update(orgUnit).set({ name: communityName }).where(eq(orgUnit.id, tree.community.id));
  await t.ctx.db.insert(grid).values({
    orgUnitId: tree.grid.id,
    type: 'basic',
    minLng: 110,
    minLat: 40,
    maxLng: 110.01,
    maxLat: 40.01,
    districtCode: tree.district.districtCode!,
  });
  gridIndexFor(t.ctx.db).invalidate();
}

/** An Open311 API key for the tree's district, issued by `admin` through the API. */
export async function issueKey(
  t: TestApp,
  admin: Awaited<ReturnType<typeof buildUser>>,
  name: string,
  tree: Tree,
) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/open311/keys',
    headers: admin.headers,
    payload: { name, orgUnitId: tree.district.id },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { key: string; id: string };
}
