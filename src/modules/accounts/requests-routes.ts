import { z } from 'zod';
import { page, pageQuery, timestamp, uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { parseIdNumber } from '../../platform/id-number.js';
import {
  claimPartyMembership,
  decideRequest,
  deciderAction,
  listRequests,
  ownRequests,
  type RequestKind,
  register,
} from './requests.js';

const status = z.enum(['pending', 'approved', 'rejected']);

const requestOut = z.object({
  id: z.uuid(),
  kind: z.enum(['resident', 'partyMember']),
  status,
  name: z.string(),
  username: z.string(),
  displayName: z.string(),
  phone: z.string().nullable().describe('masked'),
  idNumber: z.string().nullable().describe('masked'),
  orgUnitId: z.uuid(),
  orgName: z.string(),
  orgPath: z.string(),
  branchName: z.string().nullable(),
  inService: z.boolean().nullable(),
  workplace: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: timestamp,
  decidedAt: timestamp.nullable(),
});

export const mainlandPhone = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, '手机号应为 11 位数字，以 1 开头');

const idNumber = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .superRefine((v, c) => {
    const parsed = parseIdNumber(v);
    if ('problem' in parsed) c.addIssue({ code: 'custom', message: parsed.problem });
  });

const tags = ['accounts'];

export default async function requestRoutes(app: App) {
  app.post(
    '/auth/register',
    {
      config: {
        action: 'public',
        rateLimit: { max: app.ctx.config.LOGIN_RATE_PER_MINUTE, timeWindow: '1 minute' },
      },
      schema: {
        tags,
        summary: '居民注册（手机号 + 密码，社区确认身份）',
        body: z.strictObject({
          phone: mainlandPhone,
          password: z.string().min(1, '请设置密码').max(200),
          name: z.string().trim().min(1, '请填写姓名').max(40, '姓名最多 40 个字'),
          idNumber,
          communityId: z.uuid('请选择所在社区（嘎查村）'),
        }),
        response: {
          201: z.object({ id: z.uuid(), username: z.string(), status: z.literal('pending') }),
        },
      },
    },
    async (req, reply) => reply.code(201).send(await register(app.ctx, req.caller, req.body)),
  );

  app.get(
    '/account-requests/mine',
    {
      config: { action: 'authenticated' },
      schema: { tags, summary: '我的认证与党员身份申请', response: { 200: z.array(requestOut) } },
    },
    async (req) => (await ownRequests(app.ctx, req.caller)).map(({ total: _t, ...r }) => r),
  );

  app.post(
    '/party-membership',
    {
      config: { action: 'authenticated' },
      schema: {
        tags,
        summary: '申请确认党员身份（由所在党组织审核）',
        body: z.strictObject({
          branchId: z.uuid('请选择所在党组织'),
          inService: z.boolean().optional(),
          workplace: z.string().trim().min(1).max(80).optional(),
        }),
        response: { 201: requestOut },
      },
    },
    async (req, reply) => {
      const { total: _t, ...row } = await claimPartyMembership(app.ctx, req.caller, req.body);
      return reply.code(201).send(row);
    },
  );

  const queues: [string, RequestKind, string][] = [
    ['/account-requests', 'resident', '居民账号认证'],
    ['/party-member-requests', 'partyMember', '党员身份确认'],
  ];
  for (const [url, kind, label] of queues) {
    const action = deciderAction[kind];
    app.get(
      url,
      {
        config: { action },
        schema: {
          tags,
          summary: `${label}待办（本辖区）`,
          querystring: pageQuery.extend({ status: status.optional() }),
          response: { 200: page(requestOut) },
        },
      },
      async (req) => listRequests(app.ctx, req.caller, kind, req.query),
    );

    app.post(
      `${url}/:id/approve`,
      {
        config: { action },
        schema: { tags, summary: `通过${label}`, params: uuidParam, response: { 200: requestOut } },
      },
      async (req) => {
        const { total: _t, ...row } = await decideRequest(app.ctx, req.caller, kind, req.params.id, {
          approve: true,
        });
        return row;
      },
    );

    app.post(
      `${url}/:id/reject`,
      {
        config: { action },
        schema: {
          tags,
          summary: `驳回${label}`,
          params: uuidParam,
          body: z.strictObject({ reason: z.string().trim().min(2, '请写明驳回原因').max(200) }),
          response: { 200: requestOut },
        },
      },
      async (req) => {
        const { total: _t, ...row } = await decideRequest(app.ctx, req.caller, kind, req.params.id, {
          approve: false,
          reason: req.body.reason,
        });
        return row;
      },
    );
  }
}
