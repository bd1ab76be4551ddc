import { z } from 'zod';
import { t } from '../../i18n/index.js';
import { page, pageQuery, timestamp } from '../http/schemas.js';
import type { App } from '../http/types.js';
import { auditLabels } from './labels.js';
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
  actionName: z.string().describe('动作的中文名'),
  actorLabel: z.string().nullable().describe('操作人：姓名（角色）'),
  targetLabel: z.string().nullable().describe('对象：类别与名称（工单号、姓名、地址…），不显示内部编号'),
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
      const labels = await auditLabels(app.ctx.db, [
        ...result.items.map((e) => ({ type: e.targetType, id: e.targetId })),
        ...result.items.map((e) => ({ type: 'user', id: e.actorId })),
      ]);
      const locale = req.caller.locale;
      return {
        total: result.total,
        items: result.items.map(({ details: _d, requestId: _r, ...e }) => {
          const typeKey = `ui.target.${e.targetType}`;
          const typeName = t(typeKey, undefined, locale);
          const named = e.targetId ? labels.get(`${e.targetType}:${e.targetId}`) : undefined;
          return {
            ...e,
            actionName: t(`audit.${e.action}`, undefined, locale),
            actorLabel: (e.actorId && labels.get(`user:${e.actorId}`)) || e.actorName,
            targetLabel: e.targetType
              ? [typeName === typeKey ? '' : typeName, named ?? ''].filter(Boolean).join(' ') || null
              : null,
          };
        }),
      };
    },
  );
}
