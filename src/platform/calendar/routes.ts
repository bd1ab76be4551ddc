import { z } from 'zod';
import type { App } from '../http/types.js';
import { getCalendarYear, replaceCalendarYear } from './service.js';

const year = z.coerce
  .number()
  .int()
  .min(2000, '年份应在 2000 至 2100 之间')
  .max(2100, '年份应在 2000 至 2100 之间');
const day = z.strictObject({
  date: z.iso.date('日期格式应为 YYYY-MM-DD'),
  kind: z.enum(['holiday', 'workday']),
  name: z.string().trim().min(1, '请填写节日名称').max(20),
});
const yearOut = z.object({
  year: z.number().int(),
  source: z.string(),
  provisional: z.boolean(),
  days: z.array(day),
});
const tags = ['calendar'];

export default async function calendarRoutes(app: App) {
  app.get(
    '/calendar/:year',
    {
      config: { action: 'authenticated' },
      schema: {
        tags,
        summary: '工作日历（法定节假日与调休上班日）',
        params: z.object({ year }),
        response: { 200: yearOut },
      },
    },
    async (req) => getCalendarYear(app.ctx.db, req.params.year),
  );

  app.put(
    '/calendar/:year',
    {
      config: { action: 'calendar.manage' },
      schema: {
        tags,
        summary: '更新一年的工作日历',
        params: z.object({ year }),
        body: z.strictObject({
          source: z.string().trim().min(1, '请注明依据（如国务院办公厅通知）').max(200),
          provisional: z.boolean().default(false),
          days: z.array(day).max(80),
        }),
        response: { 200: yearOut },
      },
    },
    async (req) => replaceCalendarYear(app.ctx, req.caller, { year: req.params.year, ...req.body }),
  );
}
