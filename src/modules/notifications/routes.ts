import { z } from 'zod';
import { page, pageQuery, timestamp, uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { listInbox, markRead, unreadCount } from './service.js';

const notificationOut = z.object({
  id: z.uuid(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  link: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.uuid().nullable(),
  createdAt: timestamp,
  readAt: timestamp.nullable(),
});
const tags = ['notifications'];

export default async function notificationRoutes(app: App) {
  app.get(
    '/notifications',
    {
      config: { action: 'authenticated' },
      schema: {
        tags,
        summary: '我的消息',
        querystring: pageQuery.extend({
          unread: z
            .enum(['true', 'false'])
            .transform((v) => v === 'true')
            .optional(),
          kind: z.string().max(64).optional(),
        }),
        response: { 200: page(notificationOut) },
      },
    },
    async (req) => listInbox(app.ctx, req.caller, req.query),
  );

  app.get(
    '/notifications/unread-count',
    {
      config: { action: 'authenticated' },
      schema: { tags, summary: '未读消息数', response: { 200: z.object({ unread: z.number().int() }) } },
    },
    async (req) => ({ unread: await unreadCount(app.ctx, req.caller) }),
  );

  app.post(
    '/notifications/:id/read',
    {
      config: { action: 'authenticated' },
      schema: {
        tags,
        summary: '标为已读',
        params: uuidParam,
        response: { 200: z.object({ updated: z.number() }) },
      },
    },
    async (req) => ({ updated: await markRead(app.ctx, req.caller, [req.params.id]) }),
  );

  app.post(
    '/notifications/read-all',
    {
      config: { action: 'authenticated' },
      schema: { tags, summary: '全部标为已读', response: { 200: z.object({ updated: z.number() }) } },
    },
    async (req) => ({ updated: await markRead(app.ctx, req.caller) }),
  );
}
