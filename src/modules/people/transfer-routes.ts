import { z } from 'zod';
import { ok, pageQuery, timestamp, uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { keysOf, residentStatuses } from './codes.js';
import {
  acceptTransfer,
  declineTransfer,
  listIncomingTransfers,
  listOutgoingTransfers,
  transferStatuses,
} from './transfers.js';

const tags = ['people'];
const query = pageQuery.extend({
  status: z.enum(transferStatuses, '状态应为 pending、accepted 或 declined').optional(),
});

const common = {
  id: z.uuid(),
  name: z.string().describe('申请方填写的姓名'),
  idNumber: z.string().describe('已脱敏'),
  status: z.enum(transferStatuses),
  reason: z.string().nullable().describe('拒绝理由'),
  toUnit: z.string().describe('申请迁入的社区和网格'),
  toPlace: z.string().describe('申请迁入的房屋地址（未指定房屋为空）'),
  createdAt: timestamp,
  decidedAt: timestamp.nullable(),
};

const outgoing = z.object({
  ...common,
  residentId: z.uuid().nullable().describe('同意迁入后才给出'),
});

const incoming = z.object({
  ...common,
  residentId: z.uuid(),
  residentName: z.string(),
  residentStatus: z.enum(keysOf(residentStatuses)),
  residentUnit: z.string(),
  residentAddress: z.string().nullable(),
});

const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int() });

/** 迁入申请: the requesting side follows what it sent; the holding side accepts or declines. */
export default async function residentTransferRoutes(app: App) {
  app.get(
    '/resident-transfers/outgoing',
    {
      config: { action: 'resident.write' },
      schema: {
        tags,
        summary: '本辖区提交的迁入申请及结果（不显示原登记地）',
        querystring: query,
        response: { 200: pageOf(outgoing) },
      },
    },
    async (req) => listOutgoingTransfers(app.ctx, req.caller, req.query),
  );

  app.get(
    '/resident-transfers/incoming',
    {
      config: { action: 'resident.transfer' },
      schema: {
        tags,
        summary: '待本辖区处理的迁入申请（居民登记在本辖区，其他辖区申请迁入）',
        querystring: query,
        response: { 200: pageOf(incoming) },
      },
    },
    async (req) => listIncomingTransfers(app.ctx, req.caller, req.query),
  );

  app.post(
    '/resident-transfers/:id/accept',
    {
      config: { action: 'resident.transfer' },
      schema: {
        tags,
        summary: '同意迁入申请：居民迁往申请的房屋和户，记迁出、迁入事件',
        params: uuidParam,
        response: { 200: ok },
      },
    },
    async (req) => {
      await acceptTransfer(app.ctx, req.caller, req.params.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/resident-transfers/:id/decline',
    {
      config: { action: 'resident.transfer' },
      schema: {
        tags,
        summary: '拒绝迁入申请（须说明理由，申请方可见）',
        params: uuidParam,
        body: z
          .object({
            reason: z.string().trim().min(2, '请说明拒绝理由（至少 2 个字）').max(200, '理由不超过 200 字'),
          })
          .strict(),
        response: { 200: ok },
      },
    },
    async (req) => {
      await declineTransfer(app.ctx, req.caller, req.params.id, req.body.reason);
      return { ok: true as const };
    },
  );
}
