import { z } from 'zod';
import { pageQuery, timestamp, uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { houseUses, keysOf, registrationTypes, relations } from './codes.js';
import { chooseHouseGrid } from './house-grid.js';
import {
  addHouseholdMember,
  changeHouseholdHead,
  createHousehold,
  getHousehold,
  listHouseholds,
  moveHousehold,
  removeHouseholdMember,
  updateHousehold,
  updateHouseholdMember,
} from './households.js';
import { createHouse, getHouse, listHouses, updateHouse } from './houses.js';
import { cappedPage } from './paging.js';

const text = (max: number) => z.string().trim().max(max);
const use = z.enum(keysOf(houseUses), '房屋用途应为自住、出租、空置或经营');
const registrationType = z.enum(keysOf(registrationTypes), '户别应为户籍户或非户籍户');
const relation = z.enum(Object.keys(relations) as [string, ...string[]], '与户主关系代码不在 GB/T 4761 中');

const houseOut = z.object({
  id: z.uuid(),
  gridId: z.uuid(),
  /** The grid with its community ("吉劳庆社区 第5网格"); null in the answer to a create or edit. */
  gridName: z.string().nullable(),
  buildingId: z.uuid().nullable(),
  unit: z.number().int().nullable(),
  floor: z.number().int().nullable(),
  room: z.string().nullable(),
  address: z.string(),
  use,
  area: z.number().nullable(),
  ownerName: z.string().nullable(),
  needsGrid: z.boolean().describe('按只写到社区的地址落位，待选网格'),
  orgPath: z.string(),
  households: z.number().int().nullable(),
  residents: z.number().int().nullable(),
  createdAt: timestamp,
});

const houseFields = {
  unit: z.number().int().min(1).max(99).nullable().optional(),
  floor: z.number().int().min(-5).max(200).nullable().optional(),
  room: text(20).min(1).nullable().optional(),
  address: text(120).min(1).nullable().optional(),
  use,
  area: z.number().positive('面积应大于 0').max(100000).nullable().optional(),
  ownerName: text(40).nullable().optional(),
};

const householdOut = z.object({
  id: z.uuid(),
  houseId: z.uuid(),
  address: z.string().nullable(),
  registrationType,
  headResidentId: z.uuid().nullable(),
  orgPath: z.string(),
  members: z.array(
    z.object({
      residentId: z.uuid(),
      name: z.string(),
      gender: z.enum(['male', 'female']),
      birthDate: z.string(),
      age: z.number().int(),
      relation: z.string(),
      joinedOn: z.string().nullable(),
    }),
  ),
  moves: z.array(
    z.object({
      fromHouseId: z.uuid().nullable(),
      toHouseId: z.uuid(),
      fromAddress: z.string().nullable(),
      toAddress: z.string(),
      movedOn: z.string(),
    }),
  ),
  createdAt: timestamp,
});

const tags = ['people'];

export default async function houseRoutes(app: App) {
  app.get(
    '/houses',
    {
      config: { action: 'resident.read' },
      schema: {
        tags,
        summary: '房屋列表（本辖区）',
        querystring: pageQuery.extend({
          orgUnitId: z.uuid().optional(),
          buildingId: z.uuid().optional(),
          use: use.optional(),
          needsGrid: z.stringbool().optional().describe('true: 只列待选网格的房屋'),
          q: text(60).min(1).optional(),
          sort: z.enum(['address', 'createdAt']).optional(),
          order: z.enum(['asc', 'desc']).optional(),
        }),
        response: { 200: cappedPage(houseOut) },
      },
    },
    async (req) => listHouses(app.ctx.db, req.caller, req.query),
  );

  app.get(
    '/houses/:id',
    {
      config: { action: 'resident.read' },
      schema: { tags, summary: '房屋详情', params: uuidParam, response: { 200: houseOut } },
    },
    async (req) => getHouse(app.ctx.db, req.caller, req.params.id),
  );

  app.post(
    '/houses',
    {
      config: { action: 'resident.write' },
      schema: {
        tags,
        summary: '登记房屋（楼栋内的房间，或独立地址的平房、牧户）',
        body: z
          .object({ gridId: z.uuid().optional(), buildingId: z.uuid().nullable().optional(), ...houseFields })
          .strict(),
        response: { 201: houseOut },
      },
    },
    async (req, reply) => reply.status(201).send(await createHouse(app.ctx, req.caller, req.body)),
  );

  app.patch(
    '/houses/:id',
    {
      config: { action: 'resident.write' },
      schema: {
        tags,
        summary: '修改房屋（用途、面积、产权人等）',
        params: uuidParam,
        body: z.object(houseFields).partial().strict(),
        response: { 200: houseOut },
      },
    },
    async (req) => updateHouse(app.ctx, req.caller, req.params.id, req.body),
  );

  app.post(
    '/houses/grid',
    {
      config: { action: 'resident.write' },
      schema: {
        tags,
        summary: '为房屋选定网格（导入时现住址只写到社区的独立房屋；可批量；居民和户随房屋）',
        body: z
          .object({
            houseIds: z.array(z.uuid()).min(1, '请至少选择一处房屋').max(500, '一次最多 500 处房屋'),
            gridId: z.uuid('请选择网格'),
          })
          .strict(),
        response: {
          200: z.object({ houses: z.number().int(), residents: z.number().int(), gridId: z.uuid() }),
        },
      },
    },
    async (req) => chooseHouseGrid(app.ctx, req.caller, req.body),
  );

  app.get(
    '/households',
    {
      config: { action: 'resident.read' },
      schema: {
        tags,
        summary: '户列表（本辖区）',
        querystring: pageQuery.extend({
          orgUnitId: z.uuid().optional(),
          houseId: z.uuid().optional(),
          registrationType: registrationType.optional(),
          withoutHead: z.stringbool().optional().describe('true: 只列没有户主、待户主变更的户'),
          q: text(40).min(1).optional().describe('户主姓名'),
          order: z.enum(['asc', 'desc']).optional(),
        }),
        response: {
          200: cappedPage(
            z.object({
              id: z.uuid(),
              houseId: z.uuid(),
              address: z.string(),
              gridName: z.string().nullable(),
              registrationType,
              headResidentId: z.uuid().nullable(),
              headName: z.string().nullable(),
              memberCount: z.number().int(),
              firstMemberId: z.uuid().nullable(),
              createdAt: timestamp,
            }),
          ),
        },
      },
    },
    async (req) => listHouseholds(app.ctx.db, req.caller, req.query),
  );

  app.get(
    '/households/:id',
    {
      config: { action: 'resident.read' },
      schema: {
        tags,
        summary: '户详情（成员、迁移记录）',
        params: uuidParam,
        response: { 200: householdOut },
      },
    },
    async (req) => getHousehold(app.ctx.db, req.caller, req.params.id),
  );

  app.post(
    '/households',
    {
      config: { action: 'resident.write' },
      schema: {
        tags,
        summary: '建户（须有且只有一位户主）',
        body: z
          .object({
            houseId: z.uuid(),
            registrationType,
            members: z
              .array(z.object({ residentId: z.uuid(), relation }).strict())
              .min(1, '至少一名成员')
              .max(30),
          })
          .strict(),
        response: { 201: householdOut },
      },
    },
    async (req, reply) => reply.status(201).send(await createHousehold(app.ctx, req.caller, req.body)),
  );

  app.patch(
    '/households/:id',
    {
      config: { action: 'resident.write' },
      schema: {
        tags,
        summary: '修改户别',
        params: uuidParam,
        body: z.object({ registrationType }).partial().strict(),
        response: { 200: householdOut },
      },
    },
    async (req) => updateHousehold(app.ctx, req.caller, req.params.id, req.body),
  );

  app.post(
    '/households/:id/members',
    {
      config: { action: 'resident.write' },
      schema: {
        tags,
        summary: '户内增加成员',
        params: uuidParam,
        body: z.object({ residentId: z.uuid(), relation }).strict(),
        response: { 200: householdOut },
      },
    },
    async (req) => addHouseholdMember(app.ctx, req.caller, req.params.id, req.body),
  );

  app.patch(
    '/households/:id/members/:residentId',
    {
      config: { action: 'resident.write' },
      schema: {
        tags,
        summary: '修改成员与户主关系（户主本人请用户主变更）',
        params: z.object({ id: z.uuid(), residentId: z.uuid() }),
        body: z.object({ relation }).strict(),
        response: { 200: householdOut },
      },
    },
    async (req) => updateHouseholdMember(app.ctx, req.caller, req.params.id, req.params.residentId, req.body),
  );

  app.post(
    '/households/:id/head',
    {
      config: { action: 'resident.write' },
      schema: {
        tags,
        summary: '户主变更：本户一名成员成为户主，原户主（仍在户内时）改为所填关系',
        params: uuidParam,
        body: z.object({ residentId: z.uuid(), formerHeadRelation: relation.optional() }).strict(),
        response: { 200: householdOut },
      },
    },
    async (req) => changeHouseholdHead(app.ctx, req.caller, req.params.id, req.body),
  );

  app.delete(
    '/households/:id/members/:residentId',
    {
      config: { action: 'resident.write' },
      schema: {
        tags,
        summary: '户内移出成员',
        params: z.object({ id: z.uuid(), residentId: z.uuid() }),
        response: { 200: householdOut },
      },
    },
    async (req) => removeHouseholdMember(app.ctx, req.caller, req.params.id, req.params.residentId),
  );

  app.post(
    '/households/:id/move',
    {
      config: { action: 'resident.write' },
      schema: {
        tags,
        summary: '整户迁至另一房屋（保留迁移记录）',
        params: uuidParam,
        body: z.object({ houseId: z.uuid(), date: z.iso.date('日期格式应为 YYYY-MM-DD') }).strict(),
        response: { 200: householdOut },
      },
    },
    async (req) => moveHousehold(app.ctx, req.caller, req.params.id, req.body),
  );
}
