import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, type Role, roleCan, roles } from '../../src/platform/auth/permissions.js';
import { needsAction } from '../../src/platform/http/route-table.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { type Case, fixtures, type RouteFixture } from './fixtures.js';
import { buildWorld, type World } from './world.js';

/**
 * Every route × every role × (target inside the role's subtree, outside it) + no session, with
 * the outcome the permission table implies. Generated from the route table: a new route is in the
 * matrix the moment it is registered (and fails until it has a fixture if it takes a target).
 *
 * The matrix runs in shards, one test file per group of routes, so the unit suite's workers share
 * it and each shard stays minutes, not the whole suite's length. A route no shard names runs in
 * the `rest` shard, so nothing escapes the matrix.
 */
export const shards = {
  workOrders: /^\/(open311\/|api\/(work-order|whistle|hotline|open311))/,
  people: /^\/api\/(resident|household|house|people)/,
  org: /^\/api\/(org|grid|building|division)/,
  party: /^\/api\/party/,
} satisfies Record<string, RegExp>;
export type Shard = keyof typeof shards | 'rest';

const inShard = (shard: Shard, url: string) =>
  shard === 'rest' ? !Object.values(shards).some((re) => re.test(url)) : shards[shard].test(url);

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

export function authorizationMatrix(shard: Shard) {
  let t: TestApp;
  let world: World;
  beforeAll(async () => {
    t = await createTestApp();
    t.ctx.jobs.register('matrix.noop', async () => ({}));
    world = await buildWorld(t);
  });
  afterAll(() => t.close());

  describe(`authorization matrix: ${shard}`, () => {
    it('every route answers every role as the permission table says', async () => {
      const routes = t.app.routeTable
        .filter((r) => needsAction(r.url) && inShard(shard, r.url))
        .sort((a, b) => `${a.url}${a.method}`.localeCompare(`${b.url}${b.method}`));
      const missing = routes
        .filter((r) => r.hasParams && !fixtures[`${r.method} ${r.url}`])
        .map((r) => `${r.method} ${r.url}`);
      expect(missing, 'routes with parameters need a fixture in test/authz/fixtures.ts').toEqual([]);

      const failures: string[] = [];
      const table: Record<string, Record<string, string>> = {};
      let cases = 0;
      let denials = 0;

      const slowest: [string, number][] = [];
      const spent = { users: 0, fixtures: 0, requests: 0 };
      const timed = async <T>(part: keyof typeof spent, work: Promise<T>) => {
        const began = performance.now();
        try {
          return await work;
        } finally {
          spent[part] += performance.now() - began;
        }
      };
      for (const route of routes) {
        const began = performance.now();
        const key = `${route.method} ${route.url}`;
        const fixture = fixtures[key] ?? defaultFixture(route.url);
        const row: Record<string, string> = {};
        const send = async (c: Case, headers: Record<string, string> | null) => {
          const req = await timed('fixtures', fixture.request(c));
          if (!req) return null;
          const res = await timed(
            'requests',
            t.app.inject({
              method: route.method as any,
              url: req.url,
              payload: req.payload as any,
              headers: { ...(req.headers ?? {}), ...(headers ?? {}) },
            }),
          );
          return res.statusCode;
        };

        // No session.
        const builder = await timed('users', world.user('communityWorker', world.a.community));
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
          const caller = await timed('users', world.user(role, home));
          const inside: Case = { world, role, caller, place: home ?? world.a.community, outside: false };
          const cells: string[] = [];
          const variants: Case[] = [inside];
          if (fixture.scoped !== false && home)
            variants.push({
              ...inside,
              caller: await timed('users', world.user(role, home)),
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
        slowest.push([key, Math.round(performance.now() - began)]);
      }

      console.log(
        `\nAuthorization matrix (${shard}): ${routes.length} routes × ${roles.length} roles (inside/outside) + no session = ${cases} cases, ${denials} denials checked`,
      );
      console.table(table);
      slowest.sort((x, y) => y[1] - x[1]);
      console.log('slowest routes (ms):', slowest.slice(0, 8));
      console.log(
        'time spent (ms):',
        Object.fromEntries(Object.entries(spent).map(([k, v]) => [k, Math.round(v)])),
      );
      expect(failures).toEqual([]);
      // Thousands of requests (15 roles since the party roles): minutes on a loaded 2-core machine.
    }, 900_000);
  });
}
