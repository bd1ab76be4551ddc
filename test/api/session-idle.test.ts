import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminPassword, createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  // No reuse of resolved sessions: every request reads and checks the stored session.
  t = await createTestApp({ SESSION_IDLE_MINUTES: '30', SESSION_CACHE_MS: '0' });
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(() => t.close());

const minute = 60_000;

describe('the idle timeout counts from the last request', () => {
  it('never ends a session before 30 idle minutes, though last-seen is written once a minute', async () => {
    const headers = await t.login('admin', adminPassword);
    vi.useFakeTimers({ toFake: ['Date'] });
    let now = Date.now();
    const at = async (gapMs: number) => {
      now += gapMs;
      vi.setSystemTime(now);
      return (await t.app.inject({ url: '/api/auth/me', headers })).statusCode;
    };
    // Requests closer than a minute are not written down; each gap is shorter than the idle time.
    const gaps = [50_000, 29 * minute + 59_000, 20_000, 45_000, 29 * minute + 50_000, 5_000, 29 * minute];
    const answers = [];
    for (const gap of gaps) answers.push(await at(gap));
    expect(answers).toEqual(gaps.map(() => 200));
    // And it does end: 30 idle minutes after the last request, give or take the one-minute write interval.
    expect(await at(31 * minute + 1000)).toBe(401);
  });

  it('ends a session idle for 30 minutes right after the last recorded request', async () => {
    const headers = await t.login('admin', adminPassword);
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    vi.setSystemTime(start + 2 * minute);
    expect((await t.app.inject({ url: '/api/auth/me', headers })).statusCode).toBe(200);
    vi.setSystemTime(start + 2 * minute + 31 * minute + 1000);
    const res = await t.app.inject({ url: '/api/auth/me', headers });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toContain('过期');
  });
});
