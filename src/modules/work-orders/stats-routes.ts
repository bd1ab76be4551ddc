import { z } from 'zod';
import { invalid } from '../../platform/errors.js';
import { periodBoundary, timestamp } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { channels } from './service.js';
import { openOnMap, RESPONSE_HOURS, rankingKinds, workOrderRankings, workOrderStats } from './stats.js';
import { statuses } from './workflow.js';

const tags = ['work-orders'];
const ratio = (text: string) =>
  z.number().min(0).max(1).nullable().describe(`${text}（0–1；分母为 0 时为 null）`);

/** The rates, each described as stats.ts defines it (the cohort: orders filed in [from, to) in the subtree). */
const rates = {
  responseRate: ratio(
    `响应率 responseRate：提交后 ${RESPONSE_HOURS} 小时内受理或不予受理的工单 ÷ 工单数（不含重复件）`,
  ),
  solvedRate: ratio('解决率 solvedRate：结案且结果为“解决”的 ÷ 结案数（不含重复件）'),
  satisfactionRate: ratio('满意率 satisfactionRate：评价为满意或基本满意的 ÷ 已评价数'),
  onTimeAcceptRate: ratio(
    '按时签收率 onTimeAcceptRate：承办单位在办理时限内签收（或直接办结）的 ÷ 已派单且已签收或已超时的',
  ),
  resolvedRate: ratio('办结率 resolvedRate：结案数 ÷ 工单数（均不含重复件）'),
  onTimeRate: ratio('按期办结率 onTimeRate：在办理时限内结案的 ÷ 结案数（不含重复件）'),
  reworkRate: ratio('返工率 reworkRate：结案工单中曾核实不通过或重新办理的 ÷ 结案数（不含重复件）'),
  avgHandlingHours: z
    .number()
    .nullable()
    .describe('平均办理时长（小时）：结案时间 − 提交时间，结案工单的平均'),
};

const summary = z.object({
  total: z.int().describe('期间内提交的工单数（含重复件）'),
  duplicates: z.int().describe('合并的重复件'),
  open: z.int().describe('尚未结案'),
  overdue: z.int().describe('尚未结案且已超过办理时限（超期清单的件数）'),
  closed: z.int().describe('已结案（不含重复件）'),
  solved: z.int().describe('结案结果为“解决”'),
  closedOnTime: z.int(),
  reworked: z.int(),
  rated: z.int(),
  satisfied: z.int().describe('满意 + 基本满意'),
  unsatisfied: z.int(),
  problem: z.int().describe('未结案的问题工单'),
  ...rates,
});

const period = z.object({
  orgUnitId: z.uuid().optional().describe('统计的组织（默认：本人统计权限所在的单位）'),
  from: periodBoundary.describe('期间起（含）：时刻，或日期 YYYY-MM-DD（北京时间当日 0 时）'),
  to: periodBoundary.describe('期间止（不含）：时刻，或日期 YYYY-MM-DD（北京时间当日 0 时）'),
});

const checkPeriod = (q: { from: Date; to: Date }) => {
  if (q.to <= q.from) throw invalid('to', '结束时间须晚于开始时间');
  if (q.to.getTime() - q.from.getTime() > 5 * 366 * 86400_000) throw invalid('to', '统计期间最长 5 年');
};

const rankingItem = summary.extend({
  id: z.uuid(),
  name: z.string(),
  code: z.string(),
  rank: z.int(),
  score: z
    .number()
    .nullable()
    .describe(
      '综合得分 0–100：办结率 .3、按期办结率 .3、满意率 .4（部门另加按时签收率 .2、吹哨报到率 .2）的加权平均，缺项不计',
    ),
  whistles: z.int().optional().describe('部门：被吹哨次数'),
  whistlesUnanswered: z.int().optional().describe('部门：超时未报到（或迟报到）的吹哨'),
  whistleAnswerRate: ratio('部门：按时报到 ÷ 已到期的吹哨').optional(),
});

const rankings = z.object({ kind: z.enum(rankingKinds), items: z.array(rankingItem) });

const statsOut = z.object({
  orgUnit: z.object({ id: z.uuid(), name: z.string(), kind: z.string() }).nullable(),
  from: timestamp,
  to: timestamp,
  asOf: timestamp.describe('统计时点（未结案、超期按此时刻判断）'),
  bucket: z.enum(['day', 'month']).describe('趋势的粒度：62 天以内按日，否则按月（北京时间）'),
  summary,
  byCategory: z.array(
    z.object({
      categoryId: z.uuid(),
      code: z.string(),
      name: z.string(),
      groupName: z.string().describe('大类'),
      total: z.int(),
      closed: z.int(),
      resolvedRate: ratio('办结率'),
    }),
  ),
  byChannel: z.array(z.object({ channel: z.enum(channels), total: z.int(), closed: z.int() })),
  trend: z.array(
    z.object({
      period: z.string().describe('YYYY-MM 或 YYYY-MM-DD'),
      total: z.int(),
      closed: z.int(),
      resolvedRate: ratio('办结率'),
      onTimeRate: ratio('按期办结率'),
      satisfactionRate: ratio('满意率'),
    }),
  ),
  overdue: z.object({
    total: z.int().describe('期间内提交、尚未结案且已超期的工单（= summary.overdue），最超期的在前'),
    items: z.array(
      z.object({
        id: z.uuid(),
        number: z.string(),
        title: z.string(),
        status: z.enum(statuses),
        categoryName: z.string(),
        placeName: z.string(),
        handlerName: z.string().nullable(),
        dueAt: timestamp,
        overdueHours: z.int(),
      }),
    ),
  }),
});

export default async function workOrderStatsRoutes(app: App) {
  app.get(
    '/work-orders/stats',
    {
      config: { action: 'workOrder.stats' },
      schema: {
        tags,
        summary:
          '工单统计：三率（响应率、解决率、满意率）及按时签收率、办结率、按期办结率、返工率，分类、渠道、趋势、超期',
        description:
          '统计对象：期间 [from, to) 内提交、发生地在所选组织之下（部门：由其承办）的工单，按当前状态计算。',
        querystring: period,
        response: { 200: statsOut },
      },
    },
    async (req) => {
      checkPeriod(req.query);
      return workOrderStats(app.ctx, req.caller, req.query);
    },
  );

  app.get(
    '/work-orders/stats/rankings',
    {
      config: { action: 'workOrder.stats' },
      schema: {
        tags,
        summary: '红黑榜：下级街道、社区、网格（按发生地）或职能部门（按承办，含吹哨报到）的排名',
        querystring: period.extend({
          kind: z.enum(rankingKinds).optional().describe('默认：所选组织的下一级'),
        }),
        response: { 200: rankings },
      },
    },
    async (req) => {
      checkPeriod(req.query);
      return workOrderRankings(app.ctx, req.caller, req.query);
    },
  );

  app.get(
    '/work-orders/map',
    {
      config: { action: 'workOrder.read' },
      schema: {
        tags,
        summary: '地图上的未结案工单（有坐标的，本人可见范围内）',
        description:
          '同时给出 from 和 to 时即统计的“未结案”那一批：期间内提交、在统计范围内（部门为其承办的，不含只被吹哨的；须有统计权限）；unlocated 是其中没有坐标、不在地图上的件数。',
        querystring: z.object({
          orgUnitId: z.uuid().optional(),
          categoryId: z.uuid().optional(),
          from: periodBoundary.optional().describe('提交时间起（含）'),
          to: periodBoundary.optional().describe('提交时间止（不含）'),
          limit: z.coerce.number().int().min(1).max(5000).default(2000),
        }),
        response: {
          200: z.object({
            total: z.int().describe('有坐标的未结案工单'),
            unlocated: z.int().describe('同样条件下没有坐标的未结案工单'),
            items: z.array(
              z.object({
                id: z.uuid(),
                number: z.string(),
                title: z.string(),
                status: z.enum(statuses),
                urgency: z.string(),
                categoryName: z.string(),
                lng: z.number(),
                lat: z.number(),
                dueAt: timestamp.nullable(),
                overdue: z.boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => openOnMap(app.ctx, req.caller, req.query),
  );
}
