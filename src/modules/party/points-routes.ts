import { z } from 'zod';
import { pageQuery, uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { attachmentHeader } from '../../platform/jobs/output.js';
import { createCatalog, getCatalog } from './catalog.js';
import {
  claimEntry,
  correctEntry,
  decideClaim,
  monthlySheet,
  pendingClaims,
  recordEntry,
} from './entries.js';
import { honourBoard } from './honour-board.js';
import { scanProposals } from './proposals.js';
import { publishedListPdf } from './published-pdf.js';
import { answerObjection, finaliseQuarter, getQuarter, publishQuarter, reviewQuarter } from './quarters.js';
import { rankings } from './rankings.js';
import { month, quarter, refusal, text } from './route-shapes.js';
import { pointsCategories, pointsSources } from './rules.js';

const orgQuarter = z.object({ id: z.uuid(), quarter });
const tags = ['party-points'];

/** 党员积分 5+X: catalogue, monthly entries and claims, quarter review, publication, objections, rankings. */
export default async function pointsRoutes(app: App) {
  app.get(
    '/party/orgs/:id/catalog',
    {
      config: { action: 'party.read' },
      schema: { tags, summary: '现行积分细则（本组织或上级的最新版）', params: uuidParam },
    },
    async (req) => getCatalog(app.ctx, req.caller, req.params.id),
  );

  app.post(
    '/party/orgs/:id/catalog',
    {
      config: { action: 'party.manage' },
      schema: {
        tags,
        summary: '发布新版积分细则（5 项规定内容 + X 项自选）',
        params: uuidParam,
        body: z.strictObject({
          items: z
            .array(
              z.strictObject({
                category: z.enum(
                  pointsCategories,
                  '类别应为学习、服务群众、致富增收、遵规守纪、弘扬正气或自选',
                ),
                name: text(60).min(2, '请填写细则名称'),
                points: z.number().int().min(-100).max(100),
                capPerQuarter: z.number().int().min(1, '季度上限至少 1 分').max(1000),
                source: z
                  .enum(pointsSources, '来源应为服务纪实、随手拍办结或入户走访')
                  .nullable()
                  .optional()
                  .describe('系统已知的工作自动建议此项积分（记分员确认后计入）'),
              }),
            )
            .min(5, '至少 5 项规定内容')
            .max(100),
        }),
      },
    },
    async (req, reply) =>
      reply.code(201).send(await createCatalog(app.ctx, req.caller, req.params.id, req.body.items)),
  );

  app.get(
    '/party/orgs/:id/sheet',
    {
      config: { action: 'party.read' },
      schema: {
        tags,
        summary: '记分员月记表（党员 × 细则）',
        params: uuidParam,
        querystring: z.object({ month }),
      },
    },
    async (req) => monthlySheet(app.ctx, req.caller, req.params.id, req.query.month),
  );

  app.post(
    '/party/entries',
    {
      config: { action: 'party.record' },
      schema: {
        tags,
        summary: '月记：为本支部党员记分',
        body: z.strictObject({
          partyOrgId: z.uuid('请选择党支部'),
          memberId: z.uuid('请选择党员'),
          itemId: z.uuid('请选择积分细则'),
          month,
          points: z.number().int().min(-100).max(100).optional(),
          note: text(200).nullable().optional(),
        }),
      },
    },
    async (req, reply) => reply.code(201).send(await recordEntry(app.ctx, req.caller, req.body)),
  );

  app.post(
    '/party/entries/:id/correct',
    {
      config: { action: 'party.record' },
      schema: {
        tags,
        summary: '更正记分（季评后唯一的调整方式，须写明原因）',
        params: uuidParam,
        body: z.strictObject({
          points: z
            .number()
            .int()
            .min(-100)
            .max(100)
            .refine((v) => v !== 0, '更正分值不能为 0'),
          reason: text(200).min(2, '请写明更正原因'),
        }),
      },
    },
    async (req, reply) =>
      reply.code(201).send(await correctEntry(app.ctx, req.caller, req.params.id, req.body)),
  );

  app.get(
    '/party/claims',
    {
      config: { action: 'party.record' },
      schema: {
        tags,
        summary: '待审核的党员申报',
        querystring: z.object({ partyOrgId: z.uuid().optional() }),
      },
    },
    async (req) => pendingClaims(app.ctx, req.caller, req.query),
  );

  app.post(
    '/party/claims/:id/confirm',
    { config: { action: 'party.record' }, schema: { tags, summary: '确认党员申报', params: uuidParam } },
    async (req) => decideClaim(app.ctx, req.caller, req.params.id, { approve: true }),
  );

  app.post(
    '/party/claims/:id/refuse',
    {
      config: { action: 'party.record' },
      schema: {
        tags,
        summary: '退回党员申报（须写明原因）',
        params: uuidParam,
        body: refusal,
      },
    },
    async (req) =>
      decideClaim(app.ctx, req.caller, req.params.id, { approve: false, reason: req.body.reason }),
  );

  app.post(
    '/party/orgs/:id/proposals/scan',
    {
      config: { action: 'party.record' },
      schema: {
        tags,
        summary: '按积分细则的来源，从随手拍办结、入户走访生成建议积分（待记分员确认）',
        params: uuidParam,
      },
    },
    async (req) => scanProposals(app.ctx, req.caller, req.params.id),
  );

  app.get(
    '/party/orgs/:id/quarters/:quarter',
    {
      config: { action: 'party.read' },
      schema: { tags, summary: '季度积分（状态、各类得分、名次、异议）', params: orgQuarter },
    },
    async (req) => getQuarter(app.ctx, req.caller, req.params.id, req.params.quarter),
  );

  app.get(
    '/party/orgs/:id/quarters/:quarter/pdf',
    {
      config: { action: 'party.read' },
      schema: { tags, summary: '亮分公示 A4 PDF（张贴用）', params: orgQuarter },
    },
    async (req, reply) => {
      const { bytes, filename } = await publishedListPdf(
        app.ctx,
        req.caller,
        req.params.id,
        req.params.quarter,
      );
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', attachmentHeader(filename))
        .send(Buffer.from(bytes));
    },
  );

  const steps = [
    ['review', '季评关闭（须无待审核申报）', reviewQuarter],
    ['publish', '亮分公示（须已季评；公示期 5 个工作日）', publishQuarter],
    ['finalise', '公示期满确认积分，计入积分存折', finaliseQuarter],
  ] as const;
  for (const [verb, summary, run] of steps)
    app.post(
      `/party/orgs/:id/quarters/:quarter/${verb}`,
      { config: { action: 'party.review' }, schema: { tags, summary, params: orgQuarter } },
      async (req) => run(app.ctx, req.caller, req.params.id, req.params.quarter),
    );

  app.post(
    '/party/objections/:id/answer',
    {
      config: { action: 'party.review' },
      schema: {
        tags,
        summary: '答复积分异议',
        params: uuidParam,
        body: z.strictObject({ answer: text(500).min(2, '请填写答复内容') }),
      },
    },
    async (req) => answerObjection(app.ctx, req.caller, req.params.id, req.body.answer),
  );

  app.get(
    '/party/rankings',
    {
      config: { action: 'party.read' },
      schema: {
        tags,
        summary: '积分排行（街道、社区或网格范围内，按党员或按支部）',
        querystring: pageQuery.extend({
          orgUnitId: z.uuid('请选择范围'),
          period: z.string().regex(/^\d{4}(Q[1-4])?$/, '期间应为年份（2026）或季度（2026Q3）'),
          by: z.enum(['member', 'branch']).default('member'),
        }),
      },
    },
    async (req) => rankings(app.ctx, req.caller, req.query),
  );

  app.get(
    '/party/honour-board',
    {
      config: { action: 'party.read' },
      schema: {
        tags,
        summary: '红黑榜（党员、党支部积分的前几名与后几名）',
        querystring: z.object({
          orgUnitId: z.uuid('请选择范围'),
          period: z.string().regex(/^\d{4}(Q[1-4])?$/, '期间应为年份（2026）或季度（2026Q3）'),
          size: z.coerce.number().int().min(1, '每榜至少 1 名').max(20, '每榜至多 20 名').default(5),
        }),
      },
    },
    async (req) => honourBoard(app.ctx, req.caller, req.query),
  );

  // the member's own claim lives with the other self-service routes
  app.post(
    '/party/me/claims',
    {
      config: { action: 'party.self' },
      schema: {
        tags,
        summary: '党员申报积分（待记分员确认）',
        body: z.strictObject({
          itemId: z.uuid('请选择积分细则'),
          month,
          points: z.number().int().min(-100).max(100).optional(),
          note: text(200).min(2, '请说明申报事由'),
        }),
      },
    },
    async (req, reply) => reply.code(201).send(await claimEntry(app.ctx, req.caller, req.body)),
  );
}
