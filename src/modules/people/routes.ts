import { z } from 'zod';
import { ok, pageQuery, timestamp, uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { registerPeopleLabels } from './audit-labels.js';
import {
  careGroups,
  documentTypes,
  educations,
  ethnicGroups,
  genders,
  keysOf,
  lifeEventKinds,
  politicalStatuses,
  relations,
  residenceStatuses,
  residentStatuses,
  residentTags,
} from './codes.js';
import { cappedPage } from './paging.js';
import {
  createResident,
  deleteResident,
  getResident,
  recordLifeEvent,
  revealResident,
  updateResident,
} from './residents.js';
import { listResidents } from './residents-query.js';
import { transferSentMessage } from './transfers.js';

const isoDate = z.iso.date('日期格式应为 YYYY-MM-DD');

const text = (max: number) => z.string().trim().max(max);
export const gender = z.enum(keysOf(genders), '性别应为 male 或 female');
const tag = z.enum(keysOf(residentTags), '未知的人群标签');

export const residentOut = z.object({
  id: z.uuid(),
  name: z.string(),
  gender,
  birthDate: z.string(),
  age: z.number().int(),
  ethnicity: z.string(),
  documentType: z.enum(keysOf(documentTypes)),
  idNumber: z.string().describe('已脱敏'),
  phone: z.string().nullable().describe('已脱敏'),
  residenceStatus: z.enum(keysOf(residenceStatuses)),
  politicalStatus: z.enum(keysOf(politicalStatuses)),
  education: z.string().nullable(),
  employment: z.string().nullable(),
  employer: z.string().nullable(),
  healthNotes: z.string().nullable(),
  tags: z.array(z.string()),
  careGroups: z.array(z.enum(keysOf(careGroups))),
  advancedAge: z.boolean(),
  status: z.enum(keysOf(residentStatuses)),
  gridId: z.uuid(),
  /** The grid with its community ("吉劳庆社区 第5网格"): every community has a 第1–7网格. */
  gridName: z.string().nullable(),
  houseId: z.uuid().nullable(),
  address: z.string().nullable(),
  householdId: z.uuid().nullable(),
  relation: z.string().nullable(),
  orgPath: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

const residentDetail = residentOut.extend({
  events: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(keysOf(lifeEventKinds)),
      occurredOn: z.string(),
      note: z.string().nullable(),
    }),
  ),
});

const residentFields = {
  name: text(40).min(1, '请填写姓名'),
  documentType: z.enum(keysOf(documentTypes), '未知的证件类型').default('idCard'),
  idNumber: text(30).min(1, '请填写证件号码'),
  birthDate: isoDate.nullable().optional(),
  gender: gender.nullable().optional(),
  ethnicity: z.enum(Object.keys(ethnicGroups) as [string, ...string[]], '民族代码应为 GB 3304 的两位代码'),
  phone: text(20).nullable().optional(),
  residenceStatus: z.enum(keysOf(residenceStatuses), '居住状态应为户籍、常住、流动或寄住'),
  politicalStatus: z.enum(keysOf(politicalStatuses), '未知的政治面貌').optional(),
  education: z.enum(keysOf(educations), '未知的文化程度').nullable().optional(),
  employment: text(40).nullable().optional(),
  employer: text(80).nullable().optional(),
  healthNotes: text(500).nullable().optional(),
  tags: z.array(tag).max(20).optional(),
  gridId: z.uuid().nullable().optional(),
  houseId: z.uuid().nullable().optional(),
};

/** The same answer whoever holds the number, wherever: no id, name or place of the record. */
const transferSent = z.object({
  transferRequestId: z.uuid(),
  status: z.literal('pending'),
  message: z.string(),
});

const relation = z.enum(Object.keys(relations) as [string, ...string[]], '与户主关系代码不在 GB/T 4761 中');
const tags = ['people'];

export default async function residentRoutes(app: App) {
  registerPeopleLabels();
  app.get(
    '/residents',
    {
      config: { action: 'resident.read' },
      schema: {
        tags,
        summary: '居民列表（本辖区；证件号码、手机号脱敏）',
        querystring: pageQuery.extend({
          q: text(40).min(1).optional().describe('姓名片段或拼音首字母'),
          idNumber: text(30).min(1).optional(),
          phone: text(20).min(1).optional(),
          address: text(60).min(1).optional(),
          tag: tag.optional(),
          careGroup: z.enum(keysOf(careGroups)).optional(),
          ageMin: z.coerce.number().int().min(0).max(150).optional(),
          ageMax: z.coerce.number().int().min(0).max(150).optional(),
          gender: gender.optional(),
          residenceStatus: z.enum(keysOf(residenceStatuses)).optional(),
          status: z.enum([...keysOf(residentStatuses), 'all']).optional(),
          orgUnitId: z.uuid().optional(),
          houseId: z.uuid().optional(),
          sort: z.enum(['name', 'birthDate', 'createdAt']).optional(),
          order: z.enum(['asc', 'desc']).optional(),
        }),
        response: { 200: cappedPage(residentOut) },
      },
    },
    async (req) => listResidents(app.ctx, req.caller, req.query),
  );

  app.get(
    '/residents/:id',
    {
      config: { action: 'resident.read' },
      schema: {
        tags,
        summary: '居民详情（含迁入迁出等事件）',
        params: uuidParam,
        response: { 200: residentDetail },
      },
    },
    async (req) => getResident(app.ctx, req.caller, req.params.id),
  );

  app.post(
    '/residents',
    {
      config: { action: 'resident.write' },
      schema: {
        tags,
        summary: '登记居民（一人只登记一次；证件号码已在本辖区以外登记的，改为向原登记地提交迁入申请）',
        body: z
          .object({
            ...residentFields,
            household: z.object({ householdId: z.uuid(), relation }).nullable().optional(),
          })
          .strict(),
        response: {
          201: residentDetail,
          202: transferSent.describe('该证件号码登记在本辖区以外：已向原登记地提交迁入申请，未新建记录'),
        },
      },
    },
    async (req, reply) => {
      const made = await createResident(app.ctx, req.caller, req.body);
      if (made.kind === 'created') return reply.status(201).send(made.resident);
      return reply.status(202).send({
        transferRequestId: made.transferRequestId,
        status: 'pending' as const,
        message: transferSentMessage,
      });
    },
  );

  app.patch(
    '/residents/:id',
    {
      config: { action: 'resident.write' },
      schema: {
        tags,
        summary: '修改居民信息（含标签、手机号等快速更新）',
        params: uuidParam,
        body: z
          .object({ ...residentFields, documentType: residentFields.documentType.removeDefault() })
          .partial()
          .strict(),
        response: { 200: residentDetail },
      },
    },
    async (req) => updateResident(app.ctx, req.caller, req.params.id, req.body),
  );

  app.delete(
    '/residents/:id',
    {
      config: { action: 'resident.write' },
      schema: { tags, summary: '删除误登记的居民记录', params: uuidParam, response: { 200: ok } },
    },
    async (req) => {
      await deleteResident(app.ctx, req.caller, req.params.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/residents/:id/events',
    {
      config: { action: 'resident.write' },
      schema: {
        tags,
        summary: '登记迁入、迁出或死亡',
        params: uuidParam,
        body: z
          .object({
            kind: z.enum(keysOf(lifeEventKinds), '事件应为迁入、迁出或死亡'),
            date: isoDate,
            houseId: z.uuid().nullable().optional(),
            gridId: z.uuid().nullable().optional(),
            note: text(200).nullable().optional(),
          })
          .strict(),
        response: { 200: residentDetail },
      },
    },
    async (req) => recordLifeEvent(app.ctx, req.caller, req.params.id, req.body),
  );

  app.post(
    '/residents/:id/reveal',
    {
      config: { action: 'resident.readPII' },
      schema: {
        tags,
        summary: '查看完整证件号码和手机号（须说明理由，记入审计）',
        params: uuidParam,
        body: z.object({ reason: text(200).min(2, '请说明查看理由') }).strict(),
        response: { 200: z.object({ idNumber: z.string(), phone: z.string().nullable() }) },
      },
    },
    async (req) => revealResident(app.ctx, req.caller, req.params.id, req.body.reason),
  );
}
