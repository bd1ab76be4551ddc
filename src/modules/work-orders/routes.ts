import type { MultipartFile } from '@fastify/multipart';
import { z } from 'zod';
import { invalid } from '../../platform/errors.js';
import { sendFile, sendThumbnail } from '../../platform/files/routes.js';
import { nulAt } from '../../platform/http/input-guard.js';
import {
  idempotencyHeader,
  page,
  pageQuery,
  parseInput,
  timestamp,
  uuidParam,
} from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { registerWorkOrderLabels } from './audit-labels.js';
import { intake, type NewPhoto } from './intake.js';
import { intakeWriter } from './intake-writer.js';
import { questionsSchema, questionTypes } from './questions.js';
import {
  act,
  channels,
  createCategory,
  departmentsFor,
  getWorkOrder,
  listCategories,
  listOwn,
  listWorkOrders,
  moderate,
  queues,
  similarWorkOrders,
  updateCategory,
  urgencies,
  workOrderPhoto,
} from './service.js';
import { eventTypes, outcomes, ratings, statuses } from './workflow.js';

const tags = ['work-orders'];
const text = (max: number) => z.string().trim().max(max);
const lng = z.coerce.number().min(73, '经度超出中国范围').max(136, '经度超出中国范围');
const lat = z.coerce.number().min(3, '纬度超出中国范围').max(54, '纬度超出中国范围');

const category = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  parentCode: z.string().nullable(),
  handlerType: z.enum(['grid', 'community', 'department']),
  department: z.string().nullable(),
  sla: z.string(),
  staffOnly: z.boolean(),
  common: z.boolean(),
  active: z.boolean(),
  slaHours: z.number().int().nullable(),
  slaWorkingDays: z.number().int().nullable(),
  questions: z
    .array(
      z.object({
        code: z.string(),
        description: z.string(),
        datatype: z.enum(questionTypes),
        required: z.boolean(),
        order: z.number().int(),
        hint: z.string().nullable().optional(),
        values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
      }),
    )
    .describe('上报时须回答或可回答的问题（Open311 服务属性）'),
  replyTemplates: z
    .record(z.string(), z.array(z.string()))
    .optional()
    .describe('按办理结果的答复模板（仅工作人员）'),
});

const categoryFields = {
  name: text(40).min(2, '请填写类别名称'),
  handlerType: z.enum(['grid', 'community', 'department'], '默认承办应为网格、社区或部门'),
  department: text(60).nullable().optional(),
  slaHours: z.number().int().min(1).max(720).nullable().optional(),
  slaWorkingDays: z.number().int().min(1).max(60).nullable().optional(),
  staffOnly: z.boolean().optional(),
  common: z.boolean().optional(),
  active: z.boolean().optional(),
  sort: z.number().int().optional(),
  replyTemplates: z.partialRecord(z.enum(outcomes), z.array(text(500)).max(10)).optional(),
  questions: questionsSchema.optional(),
};

const summary = z.object({
  id: z.uuid(),
  number: z.string(),
  channel: z.enum(channels),
  categoryId: z.uuid(),
  categoryName: z.string(),
  title: z.string(),
  description: z.string(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  address: z.string().nullable(),
  placeId: z.uuid(),
  placeName: z.string().nullable(),
  reporterName: z.string().nullable(),
  urgency: z.enum(urgencies),
  status: z.enum(statuses),
  outcome: z.enum(outcomes).nullable(),
  handlerUnitId: z.uuid().nullable(),
  handlerName: z.string().nullable(),
  dueAt: timestamp.nullable(),
  followUpDueAt: timestamp.nullable(),
  rating: z.enum(ratings).nullable(),
  reworkCount: z.number().int(),
  returnCount: z.number().int(),
  problem: z.boolean(),
  overdue: z.boolean(),
  createdAt: timestamp,
  closedAt: timestamp.nullable(),
});

const photo = z.object({
  id: z.uuid(),
  mime: z.string(),
  url: z.string(),
  thumbnailUrl: z.string().nullable(),
});

const whistles = z.array(
  z.object({
    departmentId: z.uuid(),
    departmentName: z.string(),
    whistledAt: timestamp,
    dueAt: timestamp,
    acknowledgedAt: timestamp.nullable(),
    repliedAt: timestamp.nullable(),
  }),
);

const detail = summary.extend({
  reporterPhone: z.string().nullable().describe('已脱敏'),
  publicDescription: z.string().nullable().describe('对外公开的描述（经处理）；空则公开原文'),
  answers: z
    .array(z.object({ code: z.string(), description: z.string(), value: z.string() }))
    .describe('对类别问题的回答（选项显示为名称）'),
  whistles,
  timeline: z.array(
    z.object({
      seq: z.number().int(),
      type: z.enum(eventTypes),
      label: z.string().describe('事件的显示类别：type，或承办单位签收时为 signed'),
      name: z.string(),
      at: timestamp,
      actorName: z.string().nullable(),
      text: z.string().nullable().describe('工作人员看到内部说明；居民只看到对外说明'),
      publicText: z.string().nullable().describe('居民与 Open311 看到的说明'),
      photos: z.array(photo),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  allowed: z.array(z.enum(eventTypes)),
});

const photoIds = z.array(z.uuid()).max(9, '最多 9 张照片');

/** Answers to the category's questions (a JSON object, or its text in a multipart form). */
const answers = z
  .preprocess(
    (v) => {
      if (typeof v !== 'string') return v;
      try {
        return JSON.parse(v);
      } catch {
        return v;
      }
    },
    z.record(
      z.string().max(40),
      z.union([z.string().max(2000), z.number(), z.array(z.string().max(60)).max(50)]),
      '回答应为按问题编码的对象',
    ),
  )
  .optional()
  .describe('对类别问题的回答，按问题编码');

/** What a resident sends with 随手拍 (the photos come as files in the same multipart request). */
const reportFields = z
  .object({
    categoryId: z.uuid('请选择诉求类别'),
    description: text(2000).min(4, '请描述问题（至少 4 个字）'),
    title: text(60).optional(),
    lng: lng.optional(),
    lat: lat.optional(),
    address: text(200).optional(),
    placeId: z.uuid().optional(),
    anonymous: z.coerce.boolean().optional(),
    photoIds: photoIds.optional(),
    answers,
  })
  .strict();

const staffIntake = reportFields
  .extend({
    channel: z.enum(channels, '未知的来源渠道'),
    urgency: z.enum(urgencies, '紧急程度应为 normal、urgent 或 critical').optional(),
    reporterName: text(40).optional(),
    reporterPhone: z
      .string()
      .trim()
      .regex(/^1\d{10}$|^0\d{9,11}$/, '联系电话应为 11 位手机号或带区号的固话')
      .optional(),
    externalNo: text(40).optional(),
  })
  .strict();

const created = z.object({ id: z.uuid(), replayed: z.boolean() });

const eventBody = z
  .object({
    type: z.enum(
      eventTypes.filter((e) => e !== 'created') as [Exclude<(typeof eventTypes)[number], 'created'>],
    ),
    text: text(2000).optional().describe('内部说明（仅工作人员可见；办结的答复与评价的话除外）'),
    publicText: text(500).optional().describe('写给群众的话（居民与 Open311 可见）'),
    reason: text(500).optional(),
    handlerUnitId: z.uuid().optional(),
    handlerUserId: z.uuid().optional(),
    dueAt: timestamp.optional(),
    outcome: z.enum(outcomes, '办结结果应为解决、解释说明、非本单位职责或重复').optional(),
    rating: z.enum(ratings, '评价应为满意、基本满意或不满意').optional(),
    departmentIds: z.array(z.uuid()).min(1, '请选择至少一个部门').max(10).optional(),
    mergedInto: z.uuid().optional(),
    satisfied: z.boolean().optional(),
    photoIds: photoIds.optional(),
  })
  .strict();

/**
 * A multipart 随手拍: form fields plus up to 9 photos. The photos are only read here: they are
 * stored with the work order, in its transaction, so a refused report leaves no file behind.
 */
async function readReport(parts: AsyncIterableIterator<MultipartFile | any>) {
  const fields: Record<string, unknown> = {};
  const photos: NewPhoto[] = [];
  for await (const part of parts) {
    if (part.type === 'file') {
      const bytes: Buffer = await part.toBuffer();
      if (bytes.length) photos.push({ bytes, name: part.filename, mime: part.mimetype });
    } else if (part.fieldname === 'data') Object.assign(fields, JSON.parse(String(part.value)));
    else fields[part.fieldname] = part.value === '' ? undefined : part.value;
  }
  // The edge's NUL check sees no multipart field (they are read here): the same rule, here.
  const nul = nulAt(fields);
  if (nul) throw invalid(nul, '不能包含空字符（\\u0000）');
  return { fields, photos };
}

export default async function workOrderRoutes(app: App) {
  registerWorkOrderLabels();
  // Intakes still queued for the database are written before the server lets go of it.
  app.addHook('onClose', () => intakeWriter(app.ctx).idle());

  app.get(
    '/work-order-categories',
    {
      config: { action: 'authenticated' },
      schema: {
        tags,
        summary: '诉求类别（居民看不到内部类别）',
        querystring: z.object({ all: z.stringbool().optional().describe('含已停用的') }),
        response: { 200: z.array(category) },
      },
    },
    async (req) => listCategories(app.ctx.db, req.caller, req.query.all),
  );

  app.post(
    '/work-order-categories',
    {
      config: { action: 'workOrder.configure' },
      schema: {
        tags,
        summary: '新增诉求类别',
        body: z
          .object({
            code: z
              .string()
              .regex(
                /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)?$/,
                '编码为英文字母，小类形如 livelihood.parking',
              ),
            parentCode: z.string().nullable().optional(),
            ...categoryFields,
          })
          .strict(),
        response: { 201: category },
      },
    },
    async (req, reply) => reply.status(201).send(await createCategory(app.ctx, req.caller, req.body)),
  );

  app.patch(
    '/work-order-categories/:id',
    {
      config: { action: 'workOrder.configure' },
      schema: {
        tags,
        summary: '修改诉求类别（时限、默认承办、答复模板；停用而非删除）',
        params: uuidParam,
        body: z.object(categoryFields).partial().strict(),
        response: { 200: category },
      },
    },
    async (req) => updateCategory(app.ctx, req.caller, req.params.id, req.body),
  );

  app.get(
    '/work-orders/similar',
    {
      config: { action: 'authenticated' },
      schema: {
        tags,
        summary: '附近同类未办结诉求（提交前提示，避免重复）',
        querystring: z.object({ categoryId: z.uuid(), lng, lat }),
        response: {
          200: z.array(
            z.object({
              id: z.uuid(),
              number: z.string(),
              title: z.string(),
              status: z.enum(statuses),
              createdAt: timestamp,
              distance: z.number().describe('米'),
            }),
          ),
        },
      },
    },
    async (req) => similarWorkOrders(app.ctx, req.query),
  );

  app.post(
    '/work-orders/reports',
    {
      config: { action: 'workOrder.report' },
      schema: {
        tags,
        summary: '随手拍：居民上报（JSON，或 multipart 表单连同照片一次提交）',
        description:
          'multipart/form-data：字段 categoryId、description、lng、lat、address…（或一个 JSON 字段 data），文件字段 photo（可多张）。',
        consumes: ['application/json', 'multipart/form-data'],
        headers: idempotencyHeader,
        response: { 201: created, 200: created },
      },
    },
    async (req, reply) => {
      const { fields, photos } = req.isMultipart()
        ? await readReport(req.parts())
        : { fields: req.body, photos: [] };
      const input = parseInput(reportFields, fields);
      const res = await intake(
        app.ctx,
        req.caller,
        { ...input, channel: 'snapshot', newPhotos: photos },
        req.headers['idempotency-key'],
      );
      return reply.status(res.replayed ? 200 : 201).send(res);
    },
  );

  app.post(
    '/work-orders',
    {
      config: { action: 'workOrder.create' },
      schema: {
        tags,
        summary: '工作人员登记工单（12345 来电、来访、巡查、代录）',
        headers: idempotencyHeader,
        body: staffIntake,
        response: { 201: created, 200: created },
      },
    },
    async (req, reply) => {
      const res = await intake(app.ctx, req.caller, req.body, req.headers['idempotency-key']);
      return reply.status(res.replayed ? 200 : 201).send(res);
    },
  );

  app.get(
    '/work-orders',
    {
      config: { action: 'workOrder.read' },
      schema: {
        tags,
        summary: '工单列表与待办队列（待受理、待派单、我的、超期、吹哨、待核实、待回访、问题工单）',
        querystring: pageQuery.extend({
          queue: z.enum(queues).optional(),
          status: z.enum(statuses).optional(),
          categoryId: z.uuid().optional(),
          channel: z.enum(channels).optional(),
          orgUnitId: z.uuid().optional(),
          q: text(60).min(1).optional().describe('工单编号、标题或地址'),
          from: timestamp.optional(),
          to: timestamp.optional(),
          sort: z.enum(['createdAt', 'dueAt']).optional(),
          order: z.enum(['asc', 'desc']).optional(),
        }),
        response: { 200: page(summary.extend({ whistles: whistles.optional().describe('仅吹哨队列') })) },
      },
    },
    async (req) => listWorkOrders(app.ctx, req.caller, req.query),
  );

  app.get(
    '/work-orders/mine',
    {
      config: { action: 'authenticated' },
      schema: {
        tags,
        summary: '我的诉求（本人提交的）',
        querystring: pageQuery,
        response: { 200: page(summary) },
      },
    },
    async (req) => listOwn(app.ctx, req.caller, req.query),
  );

  app.get(
    '/work-orders/:id',
    {
      config: { action: 'authenticated' },
      schema: {
        tags,
        summary: '工单详情：时间线、照片、吹哨报到情况、当前可执行的操作',
        params: uuidParam,
        response: { 200: detail },
      },
    },
    async (req) => getWorkOrder(app.ctx, req.caller, req.params.id),
  );

  app.post(
    '/work-orders/:id/events',
    {
      config: { action: 'authenticated' },
      schema: {
        tags,
        summary:
          '办理一步：受理、派单、吹哨、报到、办结、核实、评价、回访、督办……（状态机校验，不允许时返回原因）',
        params: uuidParam,
        headers: idempotencyHeader,
        body: eventBody,
        response: { 200: detail.extend({ replayed: z.boolean() }) },
      },
    },
    async (req) => act(app.ctx, req.caller, req.params.id, req.body, req.headers['idempotency-key']),
  );

  app.post(
    '/work-orders/:id/moderation',
    {
      config: { action: 'workOrder.triage' },
      schema: {
        tags,
        summary: '公开内容处理：改写对外描述、隐藏或模糊照片（原件仅工作人员可见，记入审计）',
        params: uuidParam,
        body: z
          .object({
            publicDescription: text(2000).nullable().optional(),
            photos: z
              .array(
                z.object({
                  fileId: z.uuid(),
                  action: z.enum(['show', 'hide', 'blur'], '处理方式应为显示、隐藏或模糊'),
                }),
              )
              .max(9)
              .optional(),
          })
          .strict(),
        response: { 200: detail },
      },
    },
    async (req) => moderate(app.ctx, req.caller, req.params.id, req.body),
  );

  app.get(
    '/work-orders/:id/departments',
    {
      config: { action: 'authenticated' },
      schema: {
        tags,
        summary: '可吹哨、可派单的职能部门（工单所在区）',
        params: uuidParam,
        response: { 200: z.array(z.object({ id: z.uuid(), name: z.string() })) },
      },
    },
    async (req) => departmentsFor(app.ctx, req.caller, req.params.id),
  );

  app.get(
    '/work-orders/:id/photos/:fileId',
    {
      config: { action: 'authenticated' },
      schema: {
        tags,
        summary: '工单照片（不含 EXIF 位置信息；w 给出时为缩略图）',
        params: z.object({ id: z.uuid(), fileId: z.uuid() }),
        querystring: z.object({ w: z.coerce.number().int().min(32).max(1280).optional() }),
      },
    },
    async (req, reply) => {
      const row = await workOrderPhoto(app.ctx, req.caller, req.params.id, req.params.fileId);
      return req.query.w
        ? sendThumbnail(app.ctx, reply, row, req.query.w)
        : sendFile(app.ctx, reply, row, req.caller.user!.id);
    },
  );
}
