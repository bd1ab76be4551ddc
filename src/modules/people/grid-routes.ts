import { z } from 'zod';
import { idempotencyHeader, page, timestamp, uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { keysOf, residentTags } from './codes.js';
import { peopleStats } from './stats.js';
import { listVisits, myGrid, recordVisit } from './visits.js';

const tags = ['people'];
const counts = z.record(z.string(), z.number().int());
const tag = z.enum(keysOf(residentTags), '未知的人群标签');

const visitOut = z.object({
  id: z.uuid(),
  residentId: z.uuid(),
  householdId: z.uuid().nullable(),
  visitedBy: z.uuid().nullable(),
  visitorName: z.string(),
  visitedAt: timestamp,
  notes: z.string(),
  photos: z.array(z.object({ id: z.uuid(), url: z.string(), thumbnailUrl: z.string() })),
  tagsAdded: z.array(z.string()),
  tagsRemoved: z.array(z.string()),
  createdAt: timestamp,
});
/** A recorded visit; `replayed` when an Idempotency-Key returned the one recorded before. */
const visitRecorded = visitOut.extend({ replayed: z.boolean() });

/** Statistics, the grid worker's "my grid", and household visits (走访). */
export default async function peopleGridRoutes(app: App) {
  app.get(
    '/people/stats',
    {
      config: { action: 'resident.read' },
      schema: {
        tags,
        summary: '人口统计：年龄段、性别、民族、居住状态、关爱群体、人群标签；户数；房屋用途',
        querystring: z.object({ orgUnitId: z.uuid().optional() }),
        response: {
          200: z.object({
            orgUnitId: z.uuid().nullable(),
            residents: z.number().int(),
            ageBands: counts,
            gender: counts,
            ethnicity: counts,
            residenceStatus: counts,
            careGroups: z.object({
              elderly: z.number().int(),
              advancedAge: z.number().int(),
              child: z.number().int(),
              inDifficulty: z.number().int(),
            }),
            tags: counts,
            households: z.number().int(),
            houses: z.number().int(),
            housesByUse: counts,
          }),
        },
      },
    },
    async (req) => peopleStats(app.ctx, req.caller, req.query.orgUnitId),
  );

  app.get(
    '/my-grid',
    {
      config: { action: 'resident.read' },
      schema: {
        tags,
        summary: '我的网格：楼栋、房屋数、居民概况（网格员移动端）',
        response: {
          200: z.object({
            grids: z.array(
              z.object({
                id: z.uuid(),
                code: z.string(),
                name: z.string(),
                houses: z.number().int(),
                residents: z.object({
                  total: z.number().int(),
                  elderly: z.number().int(),
                  child: z.number().int(),
                  tags: counts,
                }),
                buildings: z.array(
                  z.object({
                    id: z.uuid(),
                    code: z.string(),
                    name: z.string(),
                    houses: z.number().int(),
                    residents: z.number().int(),
                  }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (req) => myGrid(app.ctx, req.caller),
  );

  app.post(
    '/residents/:id/visits',
    {
      config: { action: 'resident.write' },
      schema: {
        tags,
        summary: '登记走访（记录、照片、标签更新）',
        params: uuidParam,
        body: z.strictObject({
          visitedAt: timestamp.optional(),
          notes: z.string().trim().min(1, '请填写走访记录').max(2000, '走访记录不能超过 2000 字'),
          photoIds: z.array(z.uuid()).max(9, '最多 9 张照片').optional(),
          tagsAdded: z.array(tag).max(20).optional(),
          tagsRemoved: z.array(tag).max(20).optional(),
        }),
        headers: idempotencyHeader,
        response: { 201: visitRecorded, 200: visitRecorded },
      },
    },
    async (req, reply) => {
      const res = await recordVisit(
        app.ctx,
        req.caller,
        req.params.id,
        req.body,
        req.headers['idempotency-key'],
      );
      return reply.status(res.replayed ? 200 : 201).send(res);
    },
  );

  app.get(
    '/residents/:id/visits',
    {
      config: { action: 'resident.read' },
      schema: { tags, summary: '走访记录', params: uuidParam, response: { 200: page(visitOut) } },
    },
    async (req) => listVisits(app.ctx, req.caller, req.params.id),
  );
}
