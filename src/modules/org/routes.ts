import { z } from 'zod';
import { pageQuery, timestamp, uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { getOrgUnit, listOrgUnits } from './tree.js';

const kinds = [
  'region',
  'city',
  'district',
  'street',
  'community',
  'grid',
  'building',
  'department',
  'organisation',
] as const;

const unitOut = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  subtype: z.string().nullable(),
  parentId: z.uuid().nullable(),
  path: z.string(),
  hasChildren: z.boolean(),
});

const tags = ['org'];

export default async function orgRoutes(app: App) {
  app.get(
    '/org-units',
    {
      config: { action: 'org.read' },
      schema: {
        tags,
        summary: '组织树：下级单位 / 搜索 / 我的辖区根节点',
        querystring: pageQuery.extend({
          parentId: z.uuid().optional(),
          q: z.string().trim().min(1).max(40).optional(),
          kind: z.enum(kinds).optional(),
          pageSize: z.coerce.number().int().min(1).max(1000).default(200),
        }),
        response: { 200: z.object({ items: z.array(unitOut), total: z.number().int() }) },
      },
    },
    async (req) => listOrgUnits(app.ctx.db, req.caller, req.query),
  );

  app.get(
    '/org-units/:id',
    {
      config: { action: 'org.read' },
      schema: {
        tags,
        summary: '组织单位详情（含上级路径）',
        params: uuidParam,
        response: {
          200: z.object({
            id: z.uuid(),
            code: z.string(),
            name: z.string(),
            shortName: z.string().nullable(),
            kind: z.string(),
            subtype: z.string().nullable(),
            parentId: z.uuid().nullable(),
            path: z.string(),
            level: z.number().int(),
            districtCode: z.string().nullable(),
            createdAt: timestamp,
            breadcrumbs: z.array(
              z.object({ id: z.uuid(), code: z.string(), name: z.string(), kind: z.string() }),
            ),
          }),
        },
      },
    },
    async (req) => getOrgUnit(app.ctx.db, req.caller, req.params.id),
  );
}
