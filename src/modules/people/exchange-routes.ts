import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Caller } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { findReadable } from '../../platform/files/service.js';
import type { App } from '../../platform/http/types.js';
import { attachmentHeader } from '../../platform/jobs/output.js';
import { careGroups, keysOf, residenceStatuses, residentStatuses, residentTags } from './codes.js';
import { countResidentExport } from './export.js';
import { houseImportJob, requestResidentExport, residentImportJob } from './jobs.js';
import { gender } from './routes.js';
import { residentTemplate } from './template.js';

const tags = ['people'];
const xlsxMime = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const text = (max: number) => z.string().trim().max(max);

/** The filters of the resident list, as an export's body. */
export const residentFilterBody = z.strictObject({
  q: text(40).min(1).optional(),
  idNumber: text(30).min(1).optional(),
  phone: text(20).min(1).optional(),
  address: text(60).min(1).optional(),
  tag: z.enum(keysOf(residentTags), '未知的人群标签').optional(),
  careGroup: z.enum(keysOf(careGroups)).optional(),
  ageMin: z.number().int().min(0).max(150).optional(),
  ageMax: z.number().int().min(0).max(150).optional(),
  gender: gender.optional(),
  residenceStatus: z.enum(keysOf(residenceStatuses)).optional(),
  status: z.enum([...keysOf(residentStatuses), 'all']).optional(),
  orgUnitId: z.uuid().optional(),
  houseId: z.uuid().optional(),
});

const unmasked = z
  .boolean()
  .optional()
  .describe('true: 含完整证件号码和手机号（须有 resident.exportPII 权限，须说明理由）；默认脱敏');

/** An export: the list's filters, masked unless asked otherwise with a reason. */
const exportBody = residentFilterBody
  .extend({
    unmasked,
    reason: text(200).optional().describe('完整导出的理由（至少 5 个字），记入审计'),
  })
  .superRefine((b, ctx) => {
    if (b.unmasked && (b.reason ?? '').length < 5)
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: '请说明导出完整证件号码和手机号的理由（至少 5 个字）',
      });
  });

const importBody = z.strictObject({
  fileId: z.uuid('请先上传文件'),
  partial: z.boolean().optional().describe('true: 只导入无误的行；默认任何一行有误则全部不导入'),
  acceptPartial: z.boolean().optional().describe('partial 的旧名（保留一个版本）'),
  createBuildings: z
    .boolean()
    .optional()
    .describe('true: 现住址写明而社区尚未登记的楼栋，在社区第一个网格中新建（仅居民导入）'),
});

export default async function residentExchangeRoutes(app: App) {
  /** A workbook import as a background job: the uploaded file must be one the caller may read, and xlsx. */
  const enqueueImport = async (
    req: { caller: Caller; body: z.infer<typeof importBody> },
    reply: FastifyReply,
    kind: string,
  ) => {
    const file = await findReadable(app.ctx.db, req.caller, req.body.fileId);
    if (file.mime !== xlsxMime) throw invalid('fileId', '请上传 Excel（.xlsx）文件');
    const job = await app.ctx.jobs.enqueue(app.ctx.db, {
      kind,
      params: {
        fileId: req.body.fileId,
        partial: req.body.partial ?? req.body.acceptPartial ?? false,
        createBuildings: req.body.createBuildings ?? false,
      },
      createdBy: req.caller.user!.id,
    });
    return reply.status(202).send({ jobId: job.id });
  };

  let template: Promise<Buffer> | null = null;
  app.get(
    '/residents/import-template',
    {
      config: { action: 'resident.import' },
      schema: {
        tags,
        summary: '下载居民导入模板（Excel：列名、编码列的下拉选项、户号与与户主关系）',
        produces: [xlsxMime],
      },
    },
    async (_req, reply) => {
      template ??= residentTemplate();
      return reply
        .header('content-type', xlsxMime)
        .header('content-disposition', attachmentHeader('居民导入模板.xlsx'))
        .send(await template);
    },
  );

  app.post(
    '/residents/imports',
    {
      config: { action: 'resident.import' },
      schema: {
        tags,
        summary: '从 Excel 导入居民（后台任务；按证件号码去重更新，逐行报错）',
        body: importBody,
        response: { 202: z.object({ jobId: z.uuid() }) },
      },
    },
    (req, reply) => enqueueImport(req, reply, residentImportJob),
  );

  app.post(
    '/houses/imports',
    {
      config: { action: 'resident.import' },
      schema: {
        tags,
        summary: '从 Excel 导入房屋（后台任务；按楼栋单元房号或网格地址去重更新，逐行报错）',
        body: importBody,
        response: { 202: z.object({ jobId: z.uuid() }) },
      },
    },
    (req, reply) => enqueueImport(req, reply, houseImportJob),
  );

  app.post(
    '/residents/exports/count',
    {
      config: { action: 'resident.export' },
      schema: {
        tags,
        summary: '导出前预估：将导出多少人，其中多少人含完整证件号码和手机号',
        body: residentFilterBody.extend({ unmasked }),
        response: { 200: z.object({ rows: z.number().int(), unmasked: z.number().int() }) },
      },
    },
    async (req) => {
      const { unmasked: full = false, ...filters } = req.body;
      return countResidentExport(app.ctx, req.caller, filters, full);
    },
  );

  app.post(
    '/residents/exports',
    {
      config: { action: 'resident.export' },
      schema: {
        tags,
        summary:
          '按筛选条件导出居民（Excel，后台任务；默认脱敏，完整导出须 resident.exportPII 权限与理由；记入审计）',
        body: exportBody,
        response: { 202: z.object({ jobId: z.uuid() }) },
      },
    },
    async (req, reply) => {
      const job = await requestResidentExport(app.ctx, req.caller, req.body);
      return reply.status(202).send({ jobId: job.id });
    },
  );
}
