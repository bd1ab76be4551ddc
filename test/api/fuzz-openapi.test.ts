import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, type Role, roleCan } from '../../src/platform/auth/permissions.js';
import { rowsOf } from '../../src/platform/db/index.js';
import { type Built, type Case, fixtures } from '../authz/fixtures.js';
import { buildWorld, type World } from '../authz/world.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import {
  deref,
  hostileFor,
  hostileStrings,
  hostileUrlValues,
  type Rng,
  sampleFor,
  seeded,
  seedOf,
} from '../helpers/fuzz.js';

/**
 * Hostile input on every route of the OpenAPI document (issue 15, "Hostile input"): for each
 * operation a valid request (from the authorization matrix's fixtures, else from its schema) is
 * mutated into bad ones, sent as a role that may call the route. It passes only with no 5xx and
 * with nothing written by a refused request: a trigger logs every row written to every table, and
 * a refused request must leave no line there (audit, sessions and failed-login counters aside).
 */
const casesPerRoute = 12;
/** FUZZ_ONLY=<regex over "METHOD /url">: replay the cases of some routes only (same seeds). */
const only = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : null;

/** Roles tried in this order: the first that may perform the action (and has a fixture target) calls. */
const preference: Role[] = [
  'communitySecretary',
  'communityWorker',
  'gridLeader',
  'gridWorker',
  'resident',
  'partySecretary',
  'partyRecorder',
  'partyMember',
  'departmentStaff',
  'streetStaff',
  'districtStaff',
  'cityAdmin',
  'systemAdmin',
];

/** Tables a refused request may write legitimately. */
const mayChangeOnRefusal = new Set(['audit_event', 'session', 'fuzz_write']);

let t: TestApp;
let world: World;
let doc: any;

beforeAll(async () => {
  t = await createTestApp();
  t.ctx.jobs.register('matrix.noop', async () => ({}));
  world = await buildWorld(t);
  doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  // Every row written anywhere is logged; rolled back with the transaction that wrote it.
  await t.ctx.db.execute(sql`create table fuzz_write (id bigserial primary key, tbl text, op text)`);
  await t.ctx.db.execute(
    sql.raw(`create function fuzz_note() returns trigger language plpgsql as $$
    begin insert into fuzz_write (tbl, op) values (TG_TABLE_NAME, TG_OP); return null; end $$`),
  );
  const tables = rowsOf<{ name: string }>(
    await t.ctx.db.execute(sql`select c.relname as name from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
        and c.relname <> 'fuzz_write'`),
  );
  for (const { name } of tables)
    await t.ctx.db.execute(
      sql.raw(`create trigger fuzz_note after insert or update or delete on "${name}"
        for each row execute function fuzz_note()`),
    );
}, 300_000);
afterAll(() => t?.close());

interface Operation {
  method: string;
  /** As Fastify registers it: `/api/residents/:id`. */
  url: string;
  action: string;
  pathParams: string[];
  query: { name: string; schema: any }[];
  body: any;
}

function operations(): Operation[] {
  const actions = new Map(t.app.routeTable.map((r) => [`${r.method} ${r.url}`, r.action]));
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths))
    for (const [method, op] of Object.entries<any>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const url = path.replace(/\{([^}]+)\}/g, ':$1');
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: any) => deref(doc, p));
      out.push({
        method: method.toUpperCase(),
        url,
        action: actions.get(`${method.toUpperCase()} ${url}`) ?? 'public',
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
        body: deref(doc, op.requestBody?.content?.['application/json']?.schema) ?? null,
      });
    }
  return out;
}

const paramPattern = (url: string) =>
  new RegExp(
    `^${url
      .split(/(:[A-Za-z_]+)/)
      .map((s) => (s.startsWith(':') ? '([^/?]+?)' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  );

interface Caller {
  role: Role | null;
  headers: Record<string, string>;
  base: Built;
}

/** A caller allowed to call the operation, and a valid request for it at the caller's home place. */
async function callerFor(op: Operation): Promise<Caller | null> {
  const fixture = fixtures[`${op.method} ${op.url}`];
  const candidates: Role[] =
    op.action === 'public' || op.action === 'authenticated'
      ? ['communityWorker']
      : preference.filter((r) => roleCan(r, op.action as Action));
  for (const role of candidates) {
    const home = world.home(role);
    const caller = await world.user(role, home);
    const c: Case = { world, role, caller, place: home ?? world.a.community, outside: false };
    const base: Built | null = fixture
      ? await fixture.request(c)
      : { url: op.url, payload: op.body ? sampleFor(op.body) : undefined };
    if (!base) continue;
    const headers = op.action === 'public' ? {} : caller.headers;
    return { role: op.action === 'public' ? null : role, headers, base };
  }
  return null;
}

interface Mutation {
  label: string;
  url: string;
  payload?: string;
  headers?: Record<string, string>;
}

function mutations(op: Operation, caller: Caller, rng: Rng): Mutation[] {
  const [path, search = ''] = caller.base.url.split('?');
  const values = path.match(paramPattern(op.url))?.slice(1) ?? op.pathParams.map(() => 'x');
  const at = (params: string[], query: string) => {
    let i = 0;
    const p = op.url.replace(/:[A-Za-z_]+/g, () => params[i++]);
    return query ? `${p}?${query}` : p;
  };
  const kind = bodyKind(caller.base, op);
  const baseBody = kind === 'json' ? JSON.stringify(caller.base.payload ?? {}) : caller.base.payload;
  const send = (
    label: string,
    url: string,
    payload = baseBody as string | undefined,
    headers?: Record<string, string>,
  ) => ({
    label,
    url,
    payload,
    headers:
      headers ?? caller.base.headers ?? (payload !== undefined ? { 'content-type': 'application/json' } : {}),
  });
  const must: Mutation[] = [];
  const pool: Mutation[] = [];

  // Path parameters.
  op.pathParams.forEach((name, i) => {
    const withValue = (v: string) => values.map((x, j) => (j === i ? v : x));
    must.push(send(`path ${name}=%00`, at(withValue('a%00b'), search)));
    for (const v of hostileUrlValues)
      pool.push(send(`path ${name}=${v.slice(0, 20)}`, at(withValue(v), search)));
  });
  // Query parameters: declared ones with hostile values, repeated, unknown and prototype keys.
  const q = new URLSearchParams(search);
  const query = (name: string, raw: string) => {
    const rest = [...q.entries()]
      .filter(([k]) => k !== name)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
    return [...rest, `${name}=${raw}`].join('&');
  };
  op.query.forEach(({ name }) => {
    for (const v of hostileUrlValues)
      pool.push(send(`query ${name}=${v.slice(0, 20)}`, at(values, query(name, v))));
    pool.push(send(`query ${name} twice`, at(values, `${query(name, '1')}&${name}=2`)));
  });
  if (op.query.length)
    must.push(send(`query ${op.query[0].name}=%00`, at(values, query(op.query[0].name, '%00'))));
  must.push(send('query unknown=%00', at(values, [search, 'zz_unknown=%00'].filter(Boolean).join('&'))));
  pool.push(
    send(
      'query __proto__',
      at(values, [search, '__proto__[admin]=1&constructor[prototype][x]=1'].filter(Boolean).join('&')),
    ),
  );

  // Body.
  const url = caller.base.url;
  if (kind === 'json') {
    const base = (caller.base.payload ?? {}) as Record<string, unknown>;
    const props = Object.keys(op.body?.properties ?? base);
    const json = (label: string, value: unknown) => send(label, url, JSON.stringify(value));
    const firstString = props.find((k) => typeof base[k] === 'string') ?? props[0];
    if (firstString) must.push(json(`body ${firstString}=NUL`, { ...base, [firstString]: 'x\u0000y' }));
    must.push(json('body {}', {}));
    for (const k of props) {
      const schema = deref(doc, op.body?.properties?.[k]);
      for (let i = 0; i < 3; i++)
        pool.push(json(`body ${k}=hostile`, { ...base, [k]: hostileFor(schema, rng) }));
      pool.push(json(`body ${k}=string`, { ...base, [k]: rng.pick(hostileStrings) }));
      const { [k]: _, ...without } = base;
      pool.push(json(`body without ${k}`, without));
    }
    pool.push(json('body extra field', { ...base, zzExtra: '\u0001' }));
    pool.push(
      send(
        'body __proto__',
        url,
        `{"__proto__":{"isAdmin":true},${JSON.stringify(base).slice(1)}`.replace(',}', '}'),
      ),
    );
    pool.push(
      send(
        'body constructor.prototype',
        url,
        JSON.stringify({ ...base, constructor: { prototype: { x: 1 } } }),
      ),
    );
    for (const v of [[], 'text', 42, null, [base]])
      pool.push(json(`body is ${JSON.stringify(v).slice(0, 12)}`, v));
    pool.push(send('body not json', url, '{"a":'));
    pool.push(
      send('body lone surrogate', url, JSON.stringify(base).replace(/"([^"]*)"(?=\s*[,}])/, '"\\ud800"')),
    );
    pool.push(send('body deep', url, `${'['.repeat(5000)}${']'.repeat(5000)}`));
  } else if (kind === 'form') {
    const form = new URLSearchParams(String(caller.base.payload ?? ''));
    const keys = [...form.keys()];
    const withField = (k: string, v: string) => {
      const f = new URLSearchParams(form);
      f.set(k, v);
      return f.toString();
    };
    if (keys.length) must.push(send(`form ${keys[0]}=NUL`, url, withField(keys[0], 'a\u0000b')));
    for (const k of keys)
      for (let i = 0; i < 3; i++)
        pool.push(send(`form ${k}=hostile`, url, withField(k, rng.pick(hostileStrings))));
    pool.push(
      send('form as json', url, JSON.stringify(Object.fromEntries(form)), {
        'content-type': 'application/json',
      }),
    );
  } else if (kind === 'multipart') {
    pool.push(
      send('multipart garbage', url, '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\n\u0000', {
        'content-type': 'multipart/form-data; boundary=x',
      }),
    );
    pool.push(send('multipart as json', url, '{"file":"\\u0000"}', { 'content-type': 'application/json' }));
  }
  return [...must, ...rng.shuffle(pool).slice(0, Math.max(0, casesPerRoute - must.length))];
}

function bodyKind(base: Built, op: Operation): 'json' | 'form' | 'multipart' | 'none' {
  const type = base.headers?.['content-type'] ?? '';
  if (type.startsWith('multipart/')) return 'multipart';
  if (type.startsWith('application/x-www-form-urlencoded')) return 'form';
  if (op.method === 'GET' || op.method === 'DELETE') return base.payload === undefined ? 'none' : 'json';
  return base.payload !== undefined || op.body ? 'json' : 'none';
}

async function lastWrite() {
  const [{ n }] = rowsOf<{ n: number }>(
    await t.ctx.db.execute(sql`select coalesce(max(id), 0)::int as n from fuzz_write`),
  );
  return n;
}

async function writesSince(mark: number) {
  return rowsOf<{ tbl: string; op: string }>(
    await t.ctx.db.execute(sql`select tbl, op from fuzz_write where id > ${mark} order by id`),
  ).filter((w) => !mayChangeOnRefusal.has(w.tbl));
}

describe('hostile input from the OpenAPI document', () => {
  it('no route answers 5xx, and a refused request writes nothing', async () => {
    const ops = operations();
    const failures: string[] = [];
    const skipped: string[] = [];
    let requests = 0;
    const statuses: Record<number, number> = {};
    const started = performance.now();
    for (const op of ops) {
      const key = `${op.method} ${op.url}`;
      if (only && !only.test(key)) continue;
      const caller = await callerFor(op);
      if (!caller) {
        skipped.push(key);
        continue;
      }
      const rng = seeded(seedOf(key));
      for (const m of mutations(op, caller, rng)) {
        const mark = await lastWrite();
        const res = await t.app.inject({
          method: op.method as any,
          url: m.url,
          payload: m.payload,
          headers: { ...m.headers, ...caller.headers },
        });
        requests++;
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        const where = `${key} [${m.label}] as ${caller.role ?? 'anonymous'}`;
        if (res.statusCode >= 500) failures.push(`${where}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        else if (res.statusCode === 400 && op.url.startsWith('/api/') && !/\p{Script=Han}/u.test(res.body))
          failures.push(`${where}: 400 without a Chinese message: ${res.body.slice(0, 200)}`);
        if (res.statusCode >= 400 && res.statusCode < 500) {
          const writes = (await writesSince(mark)).filter(
            // A wrong password counts towards the lockout: that write is the refusal itself.
            (w) => !(key === 'POST /api/auth/login' && w.tbl === 'user' && res.statusCode === 401),
          );
          if (writes.length)
            failures.push(
              `${where}: ${res.statusCode} but wrote ${writes.map((w) => `${w.op} ${w.tbl}`).join(', ')}`,
            );
        }
      }
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `fuzz-openapi: ${requests} requests over ${ops.length - skipped.length} operations in ${seconds} s`,
    );
    console.log(`fuzz-openapi: answers by status ${JSON.stringify(statuses)}`);
    expect(skipped, 'operations no role could call').toEqual([]);
    expect(failures).toEqual([]);
    if (!only) expect(requests).toBeGreaterThan(ops.length * 5);
  }, 600_000);
});
