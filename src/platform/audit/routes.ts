import { z } from 'zod';
import { page, pageQuery, timestamp } from '../http/schemas.js';
import type { App } from '../http/types.js';
import { listAuditEvents } from './service.js';

const eventOut = z.object({
  id: z.uuid(),
  at: timestamp,
  actorId: z.uuid().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  orgPath: z.string().nullable(),
  summary: z.string().nullable(),
  ip: z.string().nullable(),
});

export default async function auditRoutes(app: App) {
  app.get(
    '/audit-events',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: '审计日志',
        querystring: pageQuery.extend({
          action: z.string().max(64).optional(),
          actorId: z.uuid().optional(),
          targetType: z.string().max(64).optional(),
          targetId: z.string().max(64).optional(),
          from: z.coerce.date().optional(),
          to: z.coerce.date().optional(),
        }),
        response: { 200: page(eventOut) },
      },
    },
    async (req) => {
      const result = await listAuditEvents(app.ctx.db, req.caller, req.query);
      return { total: result.total, items: result.items.map(({ details: _d, requestId: _r, ...e }) => e) };
    },
  );
}
