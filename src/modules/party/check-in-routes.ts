import { z } from 'zod';
import { pageQuery, uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import {
  checkInStats,
  getCheckIn,
  listCheckIns,
  ownCheckInView,
  workplaceCheckIns,
} from './check-in-views.js';
import { decideCheckIn, registerCheckIn, registerOrgCheckIn } from './check-ins.js';
import { createPost, listPosts, ownPosts, pickPost } from './posts.js';
import { reviewCommunity, reviewMember, reviewRatings } from './reviews.js';
import { isoDate, refusal, text } from './route-shapes.js';
import { decideService, listServices, recordService } from './service-records.js';

const tags = ['party-check-in'];
const review = z.strictObject({
  year: z.number().int('请选择评价年度').min(2000, '请选择评价年度').max(2100, '请选择评价年度'),
  rating: z.enum(reviewRatings, '评价应为优秀、称职、基本称职或不称职'),
  comment: text(500).nullable().optional(),
});
const decision = (verb: string) => ({
  config: { action: 'party.checkIn' as const },
  schema: { tags, summary: verb, params: uuidParam },
});

/** 双报到: check-in → the community confirms → 认岗 → 服务纪实 → 双向评价; the workplace reads its own members'. */
export default async function checkInRoutes(app: App) {
  app.get(
    '/party/check-ins',
    {
      config: { action: 'party.read' },
      schema: {
        tags,
        summary: '双报到名单（本辖区收到的报到，待确认的在前）',
        querystring: pageQuery.extend({
          orgUnitId: z.uuid().optional(),
          status: z.enum(['pending', 'confirmed', 'refused']).optional(),
          kind: z.enum(['member', 'organisation']).optional(),
        }),
      },
    },
    async (req) => listCheckIns(app.ctx, req.caller, req.query),
  );

  app.get(
    '/party/check-ins/stats',
    {
      config: { action: 'party.read' },
      schema: {
        tags,
        summary: '各社区报到统计（报到党员、报到单位、服务次数、服务时长）',
        querystring: z.object({ orgUnitId: z.uuid().optional() }),
      },
    },
    async (req) => checkInStats(app.ctx, req.caller, req.query),
  );

  app.get(
    '/party/check-ins/:id',
    {
      config: { action: 'party.read' },
      schema: { tags, summary: '报到详情（认岗、服务纪实、双向评价）', params: uuidParam },
    },
    async (req) => getCheckIn(app.ctx, req.caller, req.params.id),
  );

  app.post('/party/check-ins/:id/confirm', decision('社区确认报到'), async (req) =>
    decideCheckIn(app.ctx, req.caller, req.params.id, { approve: true }),
  );
  app.post(
    '/party/check-ins/:id/refuse',
    { ...decision('社区退回报到（须写明原因）'), schema: { ...decision('').schema, body: refusal } },
    async (req) => decideCheckIn(app.ctx, req.caller, req.params.id, { approve: false, ...req.body }),
  );

  app.post(
    '/party/check-ins/:id/reviews',
    {
      config: { action: 'party.checkIn' },
      schema: { tags, summary: '双向评价：社区评价报到党员（年度）', params: uuidParam, body: review },
    },
    async (req, reply) =>
      reply.code(201).send(await reviewMember(app.ctx, req.caller, req.params.id, req.body)),
  );

  app.post(
    '/party/orgs/:id/check-ins',
    {
      config: { action: 'party.manage' },
      schema: {
        tags,
        summary: '单位党组织到共建街道或社区报到',
        params: uuidParam,
        body: z.strictObject({
          orgUnitId: z.uuid('请选择共建的街道或社区'),
          note: text(200).nullable().optional(),
        }),
      },
    },
    async (req, reply) =>
      reply.code(201).send(await registerOrgCheckIn(app.ctx, req.caller, req.params.id, req.body)),
  );

  app.get(
    '/party/orgs/:id/check-ins',
    {
      config: { action: 'party.read' },
      schema: {
        tags,
        summary: '本单位党员的报到与服务情况（只含本组织）',
        params: uuidParam,
        querystring: pageQuery,
      },
    },
    async (req) => workplaceCheckIns(app.ctx, req.caller, req.params.id, req.query),
  );

  app.get(
    '/party/community-posts',
    {
      config: { action: 'party.read' },
      schema: { tags, summary: '社区岗位清单', querystring: z.object({ orgUnitId: z.uuid().optional() }) },
    },
    async (req) => listPosts(app.ctx, req.caller, req.query),
  );

  app.post(
    '/party/community-posts',
    {
      config: { action: 'party.checkIn' },
      schema: {
        tags,
        summary: '社区设岗（楼栋联络员、政策宣讲员、志愿服务等）',
        body: z.strictObject({
          orgUnitId: z.uuid('请选择社区'),
          name: text(40).min(2, '请填写岗位名称'),
          description: text(200).nullable().optional(),
          capacity: z.number().int().min(1, '岗位人数至少 1 人').max(1000).nullable().optional(),
        }),
      },
    },
    async (req, reply) => reply.code(201).send(await createPost(app.ctx, req.caller, req.body)),
  );

  app.get(
    '/party/service-records',
    {
      config: { action: 'party.read' },
      schema: {
        tags,
        summary: '服务纪实（待社区确认的用 status=recorded）',
        querystring: pageQuery.extend({
          status: z.enum(['recorded', 'confirmed', 'refused']).optional(),
          orgUnitId: z.uuid().optional(),
        }),
      },
    },
    async (req) => listServices(app.ctx, req.caller, req.query),
  );

  app.post('/party/service-records/:id/confirm', decision('社区确认服务纪实'), async (req) =>
    decideService(app.ctx, req.caller, req.params.id, { approve: true }),
  );
  app.post(
    '/party/service-records/:id/refuse',
    { ...decision('社区退回服务纪实（须写明原因）'), schema: { ...decision('').schema, body: refusal } },
    async (req) => decideService(app.ctx, req.caller, req.params.id, { approve: false, ...req.body }),
  );

  // the member's own side, from the phone
  app.get(
    '/party/me/check-in',
    { config: { action: 'party.self' }, schema: { tags, summary: '我的双报到（未报到时为 null）' } },
    async (req) => ownCheckInView(app.ctx, req.caller),
  );

  app.post(
    '/party/me/check-in',
    {
      config: { action: 'party.self' },
      schema: {
        tags,
        summary: '在职党员到居住地社区报到',
        body: z.strictObject({
          orgUnitId: z.uuid('请选择居住地所在的社区'),
          workplaceOrgId: z.uuid('请选择工作单位党组织').nullable().optional(),
          note: text(200).nullable().optional(),
        }),
      },
    },
    async (req, reply) => reply.code(201).send(await registerCheckIn(app.ctx, req.caller, req.body)),
  );

  app.get(
    '/party/me/posts',
    { config: { action: 'party.self' }, schema: { tags, summary: '报到社区的岗位（含我已认领的）' } },
    async (req) => ownPosts(app.ctx, req.caller),
  );

  app.post(
    '/party/me/posts',
    {
      config: { action: 'party.self' },
      schema: { tags, summary: '认岗', body: z.strictObject({ postId: z.uuid('请选择岗位') }) },
    },
    async (req, reply) => reply.code(201).send(await pickPost(app.ctx, req.caller, req.body.postId)),
  );

  app.post(
    '/party/me/services',
    {
      config: { action: 'party.self' },
      schema: {
        tags,
        summary: '记录一次服务（服务纪实，待社区确认）',
        body: z.strictObject({
          servedOn: isoDate,
          hours: z
            .number('请填写服务时长')
            .min(0.5, '服务时长至少 0.5 小时')
            .max(24, '服务时长不能超过 24 小时')
            .refine((h) => Number.isInteger(h * 2), '服务时长以半小时计'),
          what: text(500).min(2, '请写明服务内容'),
          postId: z.uuid().nullable().optional(),
          photoFileId: z.uuid().nullable().optional(),
        }),
      },
    },
    async (req, reply) => reply.code(201).send(await recordService(app.ctx, req.caller, req.body)),
  );

  app.post(
    '/party/me/check-in/review',
    {
      config: { action: 'party.self' },
      schema: { tags, summary: '双向评价：党员评价报到社区（年度）', body: review },
    },
    async (req, reply) => reply.code(201).send(await reviewCommunity(app.ctx, req.caller, req.body)),
  );
}
