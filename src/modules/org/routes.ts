import { z } from 'zod';
import { authorize } from '../../platform/auth/authorize.js';
import { invalid } from '../../platform/errors.js';
import { findReadable } from '../../platform/files/service.js';
import { ok, pageQuery, timestamp, uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { registerOrgLabels } from './audit-labels.js';
import { divisionImportJob, orgExportJob, orgImportJob } from './jobs.js';
import { createOrgUnit, deleteOrgUnit, managedKinds, moveOrgUnit, updateOrgUnit } from './manage.js';
import { countsUnder } from './stats.js';
import { getOrgUnit, listOrgUnits } from './tree.js';
import { findOrgUnitByCode } from './units.js';

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
  /** How people tell it apart: a grid with its community ("吉劳庆社区 第5网格"). */
  label: z.string(),
  kind: z.string(),
  subtype: z.string().nullable(),
  parentId: z.uuid().nullable(),
  path: z.string(),
  hasChildren: z.boolean(),
});

const tags = ['org'];

export default async function orgRoutes(app: App) {
  registerOrgLabels();
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
            label: z.string(),
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

  app.get(
    '/org-units/:id/stats',
    {
      config: { action: 'org.read' },
      schema: {
        tags,
        summary: '辖区统计：下级单位数、各类网格数、楼栋数',
        params: uuidParam,
        response: {
          200: z.object({
            byKind: z.record(z.string(), z.number()),
            gridsByType: z.record(z.string(), z.number()),
          }),
        },
      },
    },
    async (req) => {
      const unit = await getOrgUnit(app.ctx.db, req.caller, req.params.id);
      return countsUnder(app.ctx.db, unit.path);
    },
  );

  app.post(
    '/org/division-imports',
    {
      config: { action: 'org.import' },
      schema: {
        tags,
        summary: '导入行政区划（GB/T 2260，至村级），后台任务',
        body: z
          .object({
            province: z.string().regex(/^\d{2}$/, '省级代码为 2 位数字'),
            scope: z
              .string()
              .regex(/^\d{4,12}$/, '区划代码为 4–12 位数字')
              .optional(),
          })
          .strict(),
        response: { 202: z.object({ jobId: z.uuid() }) },
      },
    },
    async (req, reply) => {
      // Importing a whole province touches units above the caller: only system-wide or that province's admins.
      const root = await findOrgUnitByCode(app.ctx.db, req.body.scope ?? req.body.province);
      authorize(req.caller.user, 'org.import', root?.path ?? null, { outside: 'forbidden' });
      const job = await app.ctx.jobs.enqueue(app.ctx.db, {
        kind: divisionImportJob,
        params: req.body,
        createdBy: req.caller.user!.id,
        orgPath: root?.path ?? null,
      });
      return reply.status(202).send({ jobId: job.id });
    },
  );

  app.get(
    '/map-config',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary: '地图底图配置（未配置时只画边界和点位）',
        response: {
          200: z.object({
            tileUrl: z.string().nullable(),
            attribution: z.string().nullable(),
            crs: z.enum(['WGS84', 'GCJ02']),
          }),
        },
      },
    },
    async () => ({
      tileUrl: app.ctx.config.MAP_TILE_URL ?? null,
      attribution: app.ctx.config.MAP_TILE_ATTRIBUTION ?? null,
      crs: app.ctx.config.MAP_TILE_CRS,
    }),
  );

  const editable = {
    name: z.string().trim().min(1, '请填写名称').max(60, '名称最多 60 个字'),
    shortName: z.string().trim().max(30).nullable().optional(),
    subtype: z.string().trim().max(20).nullable().optional(),
  };
  const managedOut = unitOut.omit({ hasChildren: true, label: true });
  const describe = (u: {
    id: string;
    code: string;
    name: string;
    kind: string;
    subtype: string | null;
    parentId: string | null;
    path: string;
  }) => ({
    id: u.id,
    code: u.code,
    name: u.name,
    kind: u.kind,
    subtype: u.subtype,
    parentId: u.parentId,
    path: u.path,
  });

  app.post(
    '/org-units',
    {
      config: { action: 'org.write' },
      schema: {
        tags,
        summary: '新建街道、社区、部门或单位',
        body: z.strictObject({
          kind: z.enum(managedKinds),
          parentId: z.uuid('请选择上级单位'),
          code: z.string().trim().optional(),
          ...editable,
          shortName: editable.shortName.transform((v) => v ?? undefined),
          subtype: editable.subtype.transform((v) => v ?? undefined),
        }),
        response: { 201: managedOut },
      },
    },
    async (req, reply) => reply.code(201).send(describe(await createOrgUnit(app.ctx, req.caller, req.body))),
  );

  app.patch(
    '/org-units/:id',
    {
      config: { action: 'org.write' },
      schema: {
        tags,
        summary: '修改单位名称、简称、类别',
        params: uuidParam,
        body: z.strictObject({
          ...editable,
          name: editable.name.optional(),
          sort: z.number().int().optional(),
        }),
        response: { 200: managedOut },
      },
    },
    async (req) => describe(await updateOrgUnit(app.ctx, req.caller, req.params.id, req.body)),
  );

  app.post(
    '/org-units/:id/move',
    {
      config: { action: 'org.write' },
      schema: {
        tags,
        summary: '调整隶属关系（连同全部下级单位）',
        params: uuidParam,
        body: z.strictObject({ parentId: z.uuid('请选择新的上级单位') }),
        response: { 200: z.object({ id: z.uuid(), moved: z.number().int() }) },
      },
    },
    async (req) => moveOrgUnit(app.ctx, req.caller, req.params.id, req.body.parentId),
  );

  app.delete(
    '/org-units/:id',
    {
      config: { action: 'org.write' },
      schema: { tags, summary: '撤销单位（保留历史）', params: uuidParam, response: { 200: ok } },
    },
    async (req) => {
      await deleteOrgUnit(app.ctx, req.caller, req.params.id);
      return { ok: true as const };
    },
  );

  const what = z.enum(['grids', 'buildings']);

  app.post(
    '/org/imports',
    {
      config: { action: 'org.write' },
      schema: {
        tags,
        summary: '导入网格（GeoJSON / Excel）或楼栋（Excel / GeoJSON），后台任务，逐行报错',
        body: z.strictObject({
          fileId: z.uuid('请先上传文件'),
          what,
          partial: z.boolean().default(false).describe('true: 只导入无误的行；默认任何一行有误则全部不导入'),
        }),
        response: { 202: z.object({ jobId: z.uuid() }) },
      },
    },
    async (req, reply) => {
      const file = await findReadable(app.ctx.db, req.caller, req.body.fileId);
      if (
        ![
          'application/geo+json',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        ].includes(file.mime)
      )
        throw invalid('fileId', '请上传 Excel（.xlsx）或 GeoJSON 文件');
      const job = await app.ctx.jobs.enqueue(app.ctx.db, {
        kind: orgImportJob,
        params: req.body,
        createdBy: req.caller.user!.id,
      });
      return reply.status(202).send({ jobId: job.id });
    },
  );

  app.post(
    '/org/exports',
    {
      config: { action: 'org.read' },
      schema: {
        tags,
        summary: '导出网格或楼栋（Excel / GeoJSON），后台任务',
        body: z.strictObject({ what, format: z.enum(['xlsx', 'geojson']), orgUnitId: z.uuid().optional() }),
        response: { 202: z.object({ jobId: z.uuid() }) },
      },
    },
    async (req, reply) => {
      const root = req.body.orgUnitId ? await getOrgUnit(app.ctx.db, req.caller, req.body.orgUnitId) : null;
      const job = await app.ctx.jobs.enqueue(app.ctx.db, {
        kind: orgExportJob,
        params: req.body,
        createdBy: req.caller.user!.id,
        orgPath: root?.path ?? null,
      });
      return reply.status(202).send({ jobId: job.id });
    },
  );
}
