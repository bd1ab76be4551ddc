import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let resident: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  t = await createTestApp();
  resident = await buildUser(t, 'resident', (await buildOrgTree(t.ctx.db)).grid);
});
afterAll(() => t.close());

const categories = (headers: Record<string, string>) =>
  t.app.inject({ url: '/api/work-order-categories', headers: { ...resident.headers, ...headers } });

describe('API answers for weak signals', () => {
  it('compresses larger JSON as the phone accepts (brotli, else gzip), and leaves small answers alone', async () => {
    const plain = await categories({});
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await categories({ 'accept-encoding': 'br, gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    const unpacked = brotliDecompressSync(br.rawPayload).toString('utf8');
    expect(JSON.parse(unpacked)).toEqual(plain.json());
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    const gz = await categories({ 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString('utf8'))).toEqual(plain.json());
    const small = await t.app.inject({ url: '/api/health', headers: { 'accept-encoding': 'br' } });
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('gives residents the categories without the handlers’ reply templates', async () => {
    const list = (await categories({})).json();
    expect(list.length).toBeGreaterThan(10);
    expect(list.every((c: any) => c.replyTemplates === undefined)).toBe(true);
    const staff = await t.app.inject({ url: '/api/work-order-categories', headers: await t.asAdmin() });
    expect(staff.json()[0].replyTemplates).toBeDefined();
  });

  it('sends the security headers on every answer, the map tile host allowed only when configured', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("img-src 'self' data: blob:;");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    const tiles = await createTestApp({ MAP_TILE_URL: 'https://{s}.tiles.example.cn/{z}/{x}/{y}.png' });
    try {
      const csp = (await tiles.app.inject({ url: '/api/health' })).headers['content-security-policy'];
      expect(csp).toContain("img-src 'self' data: blob: https://*.tiles.example.cn");
    } finally {
      await tiles.close();
    }
  });
});
