import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/platform/db/index.js';
import { buildUser } from '../factories/accounts.js';
import { buildOrgTree } from '../factories/org.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const bj = (local: string) => new Date(`${local}+08:00`);

describe('work calendar API', () => {
  it('ships 2026 as published and 2027 as provisional', async () => {
    const headers = await t.asAdmin();
    const y2026 = (await t.app.inject({ url: '/api/calendar/2026', headers })).json();
    expect(y2026).toMatchObject({ year: 2026, provisional: false });
    expect(y2026.days).toContainEqual({ date: '2026-02-14', kind: 'workday', name: '春节调休上班' });
    const y2027 = (await t.app.inject({ url: '/api/calendar/2027', headers })).json();
    expect(y2027.provisional).toBe(true);
    expect((await t.app.inject({ url: '/api/calendar/2031', headers })).statusCode).toBe(404);
  });

  it('lets the administrator enter a year, which SLAs use at once, and audits it', async () => {
    const headers = await t.asAdmin();
    // Before: 2027-02-09 (Tuesday, 初四) is an ordinary working day.
    expect(t.ctx.calendar.isWorkingDay(bj('2027-02-09T10:00'))).toBe(true);
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/calendar/2027',
      headers,
      payload: {
        source: '国务院办公厅通知（示例）',
        days: [
          { date: '2027-02-05', kind: 'holiday', name: '春节' },
          { date: '2027-02-09', kind: 'holiday', name: '春节' },
          { date: '2027-02-20', kind: 'workday', name: '春节调休上班' },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ provisional: false, days: expect.arrayContaining([]) });
    expect(t.ctx.calendar.isWorkingDay(bj('2027-02-09T10:00'))).toBe(false);
    expect(t.ctx.calendar.isWorkingDay(bj('2027-02-20T10:00'))).toBe(true);
    const audited = rowsOf(
      await t.ctx.db.execute(sql`select summary from audit_event where action = 'calendar.updated'`),
    );
    expect(audited).toEqual([{ summary: '更新 2027 年工作日历：2 天假日，1 天调休上班' }]);
  });

  it('refuses days outside the year, duplicates and non-admins, changing nothing', async () => {
    const headers = await t.asAdmin();
    const put = (payload: object, h: object = headers) =>
      t.app.inject({ method: 'PUT', url: '/api/calendar/2026', headers: h as any, payload });
    const outside = await put({ source: 'x', days: [{ date: '2025-12-31', kind: 'holiday', name: '元旦' }] });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().fields).toEqual([{ path: 'days.0.date', message: '日期不在 2026 年内' }]);
    const twice = { date: '2026-03-02', kind: 'holiday', name: '假' };
    expect((await put({ source: 'x', days: [twice, twice] })).json().fields[0].path).toBe('days.1.date');
    const tree = await buildOrgTree(t.ctx.db);
    const district = await buildUser(t, 'districtStaff', tree.district);
    expect((await put({ source: 'x', days: [] }, district.headers)).statusCode).toBe(403);
    const y2026 = (await t.app.inject({ url: '/api/calendar/2026', headers })).json();
    expect(y2026.days).toHaveLength(39);
  });
});
