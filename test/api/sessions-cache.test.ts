import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPassword, createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ SESSION_CACHE_MS: '400' });
});
afterAll(() => t.close());

const me = (headers: Record<string, string>) => t.app.inject({ url: '/api/auth/me', headers });

describe('resolved sessions are reused for a moment', () => {
  it('applies a change made here at once, and one made elsewhere within SESSION_CACHE_MS', async () => {
    const headers = await t.login('admin', adminPassword);
    expect((await me(headers)).statusCode).toBe(200);
    // Another process (here: plain SQL) revokes the session: reused until the window passes.
    await t.ctx.db.execute(sql`update session set revoked_at = now() where revoked_at is null`);
    expect((await me(headers)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 450));
    expect((await me(headers)).statusCode).toBe(401);

    // Logging out through this process ends the session on the very next request.
    const again = await t.login('admin', adminPassword);
    expect((await me(again)).statusCode).toBe(200);
    await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: again });
    expect((await me(again)).statusCode).toBe(401);
  });
});
