import { z } from 'zod';
import { timestamp, uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { createKey, listKeys, revokeKey } from './keys.js';

const tags = ['open311'];

const keyOut = z.object({
  id: z.uuid(),
  name: z.string(),
  keyPrefix: z.string().describe('密钥开头几位，用于区分'),
  orgUnitId: z.uuid().nullable(),
  orgUnitName: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
});

/** Admins issue and revoke Open311 API keys; a new key is shown once, in the create response. */
export default async function open311KeyRoutes(app: App) {
  app.get(
    '/open311/keys',
    {
      config: { action: 'open311.manage' },
      schema: { tags, summary: 'Open311 接口密钥列表', response: { 200: z.array(keyOut) } },
    },
    async (req) => listKeys(app.ctx, req.caller),
  );

  app.post(
    '/open311/keys',
    {
      config: { action: 'open311.manage' },
      schema: {
        tags,
        summary: '发放 Open311 接口密钥（密钥只在此次返回中出现一次）',
        body: z.strictObject({
          name: z.string().trim().min(1, '请填写密钥名称（使用方）').max(60),
          orgUnitId: z.uuid().optional().describe('地址定位的范围（默认为本人管辖单位）'),
        }),
        response: { 201: keyOut.extend({ key: z.string() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await createKey(app.ctx, req.caller, req.body)),
  );

  app.post(
    '/open311/keys/:id/revoke',
    {
      config: { action: 'open311.manage' },
      schema: { tags, summary: '吊销 Open311 接口密钥', params: uuidParam, response: { 200: keyOut } },
    },
    async (req) => revokeKey(app.ctx, req.caller, req.params.id),
  );
}
