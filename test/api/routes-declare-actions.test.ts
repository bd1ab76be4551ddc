import { afterAll, beforeAll, expect, it } from 'vitest';
import { actions } from '../../src/platform/auth/permissions.js';
import { needsAction } from '../../src/platform/http/route-table.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('every API route declares the permission it needs', () => {
  const apiRoutes = t.app.routeTable.filter((r) => needsAction(r.url));
  expect(apiRoutes.length).toBeGreaterThan(20);
  const missing = apiRoutes.filter((r) => !r.action).map((r) => `${r.method} ${r.url}`);
  expect(missing).toEqual([]);
  const known = new Set<string>([...actions, 'public', 'authenticated']);
  const unknown = apiRoutes
    .filter((r) => !known.has(r.action!))
    .map((r) => `${r.method} ${r.url} → ${r.action}`);
  expect(unknown).toEqual([]);
});
