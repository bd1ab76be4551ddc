import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, type Role, roleCan, roles } from '../../src/platform/auth/permissions.js';
import { needsAction } from '../../src/platform/http/route-table.js';
import { type Case, fixtures, type RouteFixture } from '../authz/fixtures.js';
import { buildWorld, type World } from '../authz/world.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * Every route × every role × (target inside the role's subtree, outside it) + no session, with
 * the outcome the permission table implies. Generated from the route table: a new route is in the
 * matrix the moment it is registered (and fails here until it has a fixture if it takes a target).
 */
let t: TestApp;
let world: World;
beforeAll(async () => {
  t = await createTestApp();
  t.ctx.jobs.register('matrix.noop', async () => ({}));
  world = await buildWorld(t);
});
afterAll(() => t.close());

type Outcome = 'allowed' | 401 | 403 | 404;

function expected(action: string, role: Role | null, outside: boolean, fixture: RouteFixture): Outcome {
  if (action === 'public') return 'allowed';
  if (!role) return 401;
  if (action !== 'authenticated' && !roleCan(role, action as Action)) return 403;
  return outside ? (fixture.outside ?? 404) : 'allowed';
}

function observed(status: number): Outcome | number {
  if (status === 401 || status === 403 || status === 404) return status;
  return status < 500 ? 'allowed' : status;
}

const defaultFixture = (url: string): RouteFixture => ({ scoped: false, request: async () => ({ url }) });

describe('authorization matrix', () => {
  it('every route answers every role as the permission table says', async () => {
    const routes = t.app.routeTable
      .filter((r) => needsAction(r.url))
      .sort((a, b) => `${a.url}${a.method}`.localeCompare(`${b.url}${b.method}`));
    const missing = routes
      .filter((r) => r.hasParams && !fixtures[`${r.method} ${r.url}`])
      .map((r) => `${r.method} ${r.url}`);
    expect(missing, 'routes with parameters need a fixture in test/authz/fixtures.ts').toEqual([]);

    const failures: string[] = [];
    const table: Record<string, Record<string, string>> = {};
    let cases = 0;
    let denials = 0;

    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      const fixture = fixtures[key] ?? defaultFixture(route.url);
      const row: Record<string, string> = {};
      const send = async (c: Case, headers: Record<string, string> | null) => {
        const req = await fixture.request(c);
        if (!req) return null;
        const res = await t.app.inject({
          method: route.method as any,
          url: req.url,
          payload: req.payload as any,
          headers: { ...(req.headers ?? {}), ...(headers ?? {}) },
        });
        return res.statusCode;
      };

      // No session.
      const builder = await world.user('communityWorker', world.a.community);
      const anonCase: Case = {
        world,
        role: 'communityWorker',
        caller: builder,
        place: world.a.community,
        outside: false,
      };
      const anonExpected = expected(route.action!, null, false, fixture);
      const anonStatus = await send(anonCase, null);
      const anonGot = anonStatus === null ? 'n/a' : observed(anonStatus);
      cases++;
      if (anonExpected !== 'allowed') denials++;
      row.anon = String(anonGot);
      if (anonGot !== anonExpected)
        failures.push(`${key} no session: expected ${anonExpected}, got ${anonGot}`);

      for (const role of roles) {
        const home = world.home(role);
        const caller = await world.user(role, home);
        const inside: Case = { world, role, caller, place: home ?? world.a.community, outside: false };
        const cells: string[] = [];
        const variants: Case[] = [inside];
        if (fixture.scoped !== false && home)
          variants.push({
            ...inside,
            caller: await world.user(role, home),
            place: world.mirror(home),
            outside: true,
          });
        for (const c of variants) {
          const want = expected(route.action!, role, c.outside, fixture);
          const status = await send(c, c.caller.headers);
          if (status === null) {
            cells.push('–');
            continue;
          }
          const got = observed(status);
          cases++;
          if (want !== 'allowed') denials++;
          cells.push(got === 'allowed' ? '✓' : String(got));
          if (got !== want)
            failures.push(
              `${key} as ${role} ${c.outside ? 'outside' : 'inside'}: expected ${want}, got ${got}`,
            );
        }
        row[role] = cells.join('/');
      }
      table[key] = row;
    }

    console.log(
      `\nAuthorization matrix: ${routes.length} routes × ${roles.length} roles (inside/outside) + no session = ${cases} cases, ${denials} denials checked`,
    );
    console.table(table);
    expect(failures).toEqual([]);
    // Thousands of requests (15 roles since the party roles): minutes on a loaded 2-core machine.
  }, 1_200_000);
});
