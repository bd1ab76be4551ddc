import { z } from 'zod';
import { AppError, invalid } from '../../platform/errors.js';
import { findReadable } from '../../platform/files/service.js';
import { parseInput, timestamp } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { findOrgUnit } from '../org/units.js';
import { hotlineExportJob, hotlineImportJob } from './hotline.js';

const tags = ['work-orders'];
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const jobStarted = z.object({ jobId: z.uuid() });

// A multipart form sends "true"/"false" as text (z.coerce.boolean would read "false" as true).
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const importBody = z.strictObject({
  fileId: z.uuid('请先上传 12345 工单表（.xlsx）'),
  partial: flag.optional().describe('true：只导入无误的行；默认任何一行有误则全部不导入'),
  acceptPartial: flag.optional().describe('partial 的旧名（保留一个版本）'),
});

/** 12345 hotline workbooks: import (a job, row errors) and the replies export in the same layout. */
export default async function hotlineRoutes(app: App) {
  app.post(
    '/work-orders/imports',
    {
      config: { action: 'workOrder.import' },
      schema: {
        tags,
        summary: '导入 12345 工单表（按表头识别列；按工单编号去重，重复导入只更新），后台任务，逐行报错',
        description:
          'JSON {fileId, partial}（先 POST /api/files 上传），或 multipart/form-data：文件字段 file，字段 partial。',
        consumes: ['application/json', 'multipart/form-data'],
        response: { 202: jobStarted },
      },
    },
    async (req, reply) => {
      let raw: unknown = req.body;
      if (req.isMultipart()) {
        const fields: Record<string, unknown> = {};
        for await (const part of req.parts()) {
          if (part.type === 'file') {
            const row = await app.ctx.files.save(app.ctx.db, await part.toBuffer(), {
              name: part.filename,
              claimedMime: part.mimetype,
              createdBy: req.caller.user!.id,
            });
            fields.fileId = row.id;
          } else fields[part.fieldname] = part.value === '' ? undefined : part.value;
        }
        raw = fields;
      }
      const body = parseInput(importBody, raw);
      const file = await findReadable(app.ctx.db, req.caller, body.fileId);
      if (file.mime !== xlsx) throw invalid('fileId', '请上传 Excel（.xlsx）格式的 12345 工单表');
      const job = await app.ctx.jobs.enqueue(app.ctx.db, {
        kind: hotlineImportJob,
        params: { fileId: body.fileId, partial: body.partial ?? body.acceptPartial ?? false },
        createdBy: req.caller.user!.id,
      });
      return reply.status(202).send({ jobId: job.id });
    },
  );

  app.post(
    '/work-orders/exports',
    {
      config: { action: 'workOrder.import' },
      schema: {
        tags,
        summary: '导出 12345 工单办理结果（与导入同样的列，另加办理结果、回复内容、办结时间），后台任务',
        body: z.strictObject({
          from: timestamp.optional(),
          to: timestamp.optional(),
          orgUnitId: z.uuid().optional(),
        }),
        response: { 202: jobStarted },
      },
    },
    async (req, reply) => {
      const unit = req.body.orgUnitId ? await findOrgUnit(app.ctx.db, req.body.orgUnitId) : null;
      if (req.body.orgUnitId && !unit) throw new AppError('NOT_FOUND', 404);
      const job = await app.ctx.jobs.enqueue(app.ctx.db, {
        kind: hotlineExportJob,
        params: {
          from: req.body.from?.toISOString(),
          to: req.body.to?.toISOString(),
          orgUnitId: req.body.orgUnitId,
        },
        createdBy: req.caller.user!.id,
        orgPath: unit?.path ?? null,
      });
      return reply.status(202).send({ jobId: job.id });
    },
  );
}
