import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { rowsOf } from '../../src/platform/db/index.js';
import { loggableError, loggableUrl } from '../../src/platform/http/logging.js';
import type { App } from '../../src/platform/http/types.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** The edge of the HTTP server: what any client on the network can send, logged and refused. */
let t: TestApp;
let app: App;
let base: { host: string; port: number };
const lines: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  // A logging server on a real socket: the request logger is what a malformed URL used to crash.
  app = await buildApp(
    { ...t.ctx, config: { ...t.ctx.config, LOG_LEVEL: 'info' } },
    { logStream: { write: (l) => lines.push(l) } },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const a = app.server.address() as AddressInfo;
  base = { host: a.address, port: a.port };
});
afterAll(async () => {
  await app.close();
  await t.close();
});

/** A raw request, path sent byte for byte as given (no client-side normalisation). */
function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ ...base, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('malformed URLs', () => {
  it('are answered per request and never take the server down', async () => {
    const urls = [
      '/?%',
      '/api/health?x=%E0%A4%A',
      '/api/health?%=%',
      '/api/health?x=%ZZ&y=%',
      '/%',
      '/api/%E0%A4%A',
      '/api/org-units/%',
      '/open311/v2/requests/%.json',
      '/api/public/communities?q=%uD800',
      '/api/health?x=%C0%AF',
      '/m/%FF%FE',
    ];
    for (const url of urls) {
      const res = await raw(url);
      expect(res.status, url).toBeGreaterThanOrEqual(200);
      expect(res.status, url).toBeLessThan(500);
    }
    expect((await raw('/api/health')).status).toBe(200);
  });

  it('logs a malformed URL as it came, with secrets in the query redacted', () => {
    expect(loggableUrl('/?%')).toBe('/?%');
    expect(loggableUrl('/api/health?x=%E0%A4%A')).toBe('/api/health?x=%E0%A4%A');
    expect(loggableUrl('/open311/v2/requests.json?api_key=abc123&service_code=x')).toBe(
      '/open311/v2/requests.json?api_key=[redacted]&service_code=x',
    );
    expect(loggableUrl('/api/users?q=13812345678')).toBe('/api/users?q=138****5678');
  });
});

describe('secrets and personal data in logs', () => {
  it('never writes an Open311 api_key from the query string', async () => {
    await raw('/open311/v2/requests.json?api_key=SecretKey-4242&service_code=x', { method: 'POST' });
    expect(lines.join('')).not.toContain('SecretKey-4242');
  });

  it("drops a failed query's parameters from the logged error", async () => {
    const err = await t.ctx.db.execute(sql`select ${'13812345678 150602197001011234'}::int`).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    const logged = JSON.stringify(loggableError(err));
    expect(logged).not.toContain('13812345678');
    expect(logged).not.toContain('150602197001011234');
  });
});

describe('NUL characters', () => {
  it('are refused with 400 naming where they are, on public, login and signed-in routes', async () => {
    const admin = await t.asAdmin();
    const cases = [
      { method: 'GET', url: '/api/public/communities?q=%00' },
      { method: 'GET', url: '/api/users?q=a%00b', headers: admin },
      { method: 'GET', url: '/api/org-units/%00', headers: admin },
      { method: 'POST', url: '/api/auth/login', payload: { username: 'a\u0000', password: 'x' } },
      { method: 'POST', url: '/api/auth/login', payload: { 'user\u0000name': 'a', password: 'x' } },
    ] as const;
    for (const c of cases) {
      const res = await t.app.inject(c as any);
      expect(res.statusCode, c.url).toBe(400);
      expect(res.json().fields?.[0]?.path, c.url).toBeTruthy();
    }
  });
});

describe('cross-site request forgery', () => {
  it('refuses a cross-origin form post carrying the session cookie, and writes nothing', async () => {
    const tree = await buildOrgTree(t.ctx.db);
    const secretary = await buildUser(t, 'communitySecretary', tree.community);
    const token = secretary.headers.authorization.slice('Bearer '.length);
    const count = async () =>
      rowsOf<{ n: number }>(await t.ctx.db.execute(sql`select count(*)::int as n from work_order`))[0].n;
    const before = await count();
    // What a page on another port of the same host auto-submits.
    const form = await raw('/api/work-orders', {
      method: 'POST',
      headers: {
        cookie: `gr_session=${token}`,
        origin: 'http://127.0.0.1:4000',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `channel=walkIn&description=forged&placeId=${tree.community.id}`,
    });
    expect(form.status).toBe(415);
    const multipart = await raw('/api/work-orders', {
      method: 'POST',
      headers: {
        cookie: `gr_session=${token}`,
        origin: 'http://127.0.0.1:4000',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ channel: 'walkIn', description: 'forged', placeId: tree.community.id }),
    });
    expect(multipart.status).toBe(403);
    expect(JSON.parse(multipart.body).code).toBe('CROSS_ORIGIN');
    const sameSite = await raw('/api/auth/logout', {
      method: 'POST',
      headers: { cookie: `gr_session=${token}`, 'sec-fetch-site': 'same-site' },
    });
    expect(sameSite.status).toBe(403);
    expect(await count()).toBe(before);
    // Bearer clients (the phone app, scripts) and the console itself (same origin) still write.
    const bearer = await raw('/api/auth/password', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        origin: 'http://127.0.0.1:4000',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(bearer.status).toBe(400);
    const own = await raw('/api/auth/logout', {
      method: 'POST',
      headers: { cookie: `gr_session=${token}`, origin: `http://127.0.0.1:${base.port}` },
    });
    expect(own.status).toBeLessThan(300);
  });
});
