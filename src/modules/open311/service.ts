import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { AppError } from '../../platform/errors.js';
import { maskPiiInText } from '../../platform/pii-text.js';
import { AddressMatcher } from '../org/address-match.js';
import { locate } from '../org/grids.js';
import { representativePoint } from '../org/points.js';
import { findOrgUnit, findOrgUnitByCode, unitLabelSql } from '../org/units.js';
import { intake, type NewPhoto } from '../work-orders/intake.js';
import { type PublicEventInput, publicText } from '../work-orders/public.js';
import { isoShanghai as iso, type Question, sortQuestions } from '../work-orders/questions.js';
import { workOrder, workOrderCategory, workOrderEvent } from '../work-orders/schema.js';
import type { EventType } from '../work-orders/workflow.js';
import { keyCaller, markKeyUsed } from './keys.js';
import {
  attributes,
  coordinate,
  dateParam,
  type Form,
  list,
  loosePhone,
  Open311Error,
  str,
} from './params.js';
import { open311Request } from './schema.js';

export { type Form, Open311Error } from './params.js';

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) over our work orders.
 *
 * - A service is a leaf work-order category residents may use; `service_code` is the category code.
 * - A request is a work order filed through Open311 (channel `openApi`); `service_request_id` is
 *   our number (GD…). Only those are public here: 12345 calls and residents' own reports are not
 *   published to third parties. Reporter name, phone and e-mail are never returned.
 * - `status` is `closed` once our work order is closed, `open` before; `status_notes` is the latest
 *   reply text, `agency_responsible` the handling unit, `expected_datetime` the due time.
 */

// ---------------------------------------------------------------- discovery and services

export function discovery(baseUrl: string) {
  const changeset = '2026-11-25T00:00:00+08:00';
  return {
    changeset,
    contact: '基层治理一网通平台管理员；群众诉求请拨打 12345 政务服务便民热线',
    key_service: 'API 密钥由平台管理员在控制台「Open311 接口密钥」页面发放 (ask the platform administrator)',
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${baseUrl}/open311/v2`,
        changeset,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}

const publicCategories = () =>
  and(
    eq(workOrderCategory.active, true),
    eq(workOrderCategory.staffOnly, false),
    isNotNull(workOrderCategory.parentCode),
  );

const slaText = (c: { slaHours: number | null; slaWorkingDays: number | null }) =>
  c.slaHours ? `${c.slaHours} 小时` : `${c.slaWorkingDays ?? 5} 个工作日`;

export async function services(ex: Executor) {
  const all = await ex.select().from(workOrderCategory).orderBy(asc(workOrderCategory.sort));
  const names = new Map(all.map((c) => [c.code, c.name]));
  return (
    await ex.select().from(workOrderCategory).where(publicCategories()).orderBy(asc(workOrderCategory.sort))
  ).map((c) => {
    const group = c.parentCode ? (names.get(c.parentCode) ?? c.parentCode) : '';
    return {
      service_code: c.code,
      service_name: c.name,
      description: `${c.name}（${group}），办理时限 ${slaText(c)}`,
      metadata: (c.questions ?? []).length > 0,
      type: 'realtime',
      keywords: [c.name, group.replace(/（.*）/, '')].filter(Boolean).join(','),
      group,
    };
  });
}

/** A service is a leaf public category; anything else (a group such as `city`, a staff-only one) is 404. */
async function findService(ex: Executor, code: string) {
  const [c] = await ex
    .select()
    .from(workOrderCategory)
    .where(and(publicCategories(), eq(workOrderCategory.code, code)));
  if (!c) throw new Open311Error(404, `service_code ${code} 不存在 (service not found)`);
  return c;
}

const isList = (q: Question) => q.datatype === 'singlevaluelist' || q.datatype === 'multivaluelist';

/** The category's questions as GeoReport attributes (all `variable`: they are asked of the reporter). */
export async function serviceDefinition(ex: Executor, code: string) {
  const c = await findService(ex, code);
  return {
    service_code: c.code,
    attributes: sortQuestions(c.questions ?? []).map((q) => ({
      variable: true,
      code: q.code,
      datatype: q.datatype,
      required: q.required,
      datatype_description: q.hint ?? null,
      order: q.order,
      description: q.description,
      ...(isList(q) ? { values: (q.values ?? []).map((v) => ({ key: v.key, name: v.name })) } : {}),
    })),
  };
}

// ---------------------------------------------------------------- requests

const cjk = /[\u4e00-\u9fff]/;

/** The unit an `address_id` names: one of our building, grid or community codes inside the key's unit. */
async function placeByCode(ctx: AppContext, code: string, rootPath: string | null) {
  const unit = await findOrgUnitByCode(ctx.db, code);
  if (
    !unit ||
    !['building', 'grid', 'community'].includes(unit.kind) ||
    (rootPath && !`${unit.path}.`.startsWith(`${rootPath}.`))
  )
    throw new Open311Error(400, `address_id ${code} 不是本平台的楼栋、网格或社区编码 (unknown address_id)`);
  return unit.id;
}

/**
 * Files a request as the key's system user. Placed by its point (the grid holding it), else by
 * `address_id` (our building, grid or community code), else by `address_string`; a request placed
 * without a point gets its place's representative point. Photos sent in a multipart POST are
 * stored with the work order, in its transaction.
 */
export async function createRequest(ctx: AppContext, form: Form, photos: NewPhoto[] = []) {
  const { key, caller } = await keyCaller(ctx, form.api_key);
  const code = str(form, 'service_code', 100);
  if (!code) throw new Open311Error(400, 'service_code 必填 (service_code required)');
  const category = await findService(ctx.db, code);
  const lat = coordinate(form, 'lat', -90, 90);
  const lng = coordinate(form, 'long', -180, 180);
  if ((lat === undefined) !== (lng === undefined)) throw new Open311Error(400, 'lat 与 long 须同时提供');
  const address = str(form, 'address_string', 200);
  const addressId = str(form, 'address_id', 40);
  if (lat === undefined && !address && !addressId)
    throw new Open311Error(400, '须提供位置：lat/long、address_string 或 address_id (location required)');
  const description = str(form, 'description', 4000);
  const email = str(form, 'email', 200);
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Open311Error(400, 'email 格式不正确');
  const phone = loosePhone(form);
  const mediaUrl = str(form, 'media_url', 1000);
  if (mediaUrl && !/^https?:\/\/\S+$/i.test(mediaUrl))
    throw new Open311Error(400, 'media_url 应为 http(s) 地址');
  const accountId = str(form, 'account_id', 100);
  const deviceId = str(form, 'device_id', 200);
  const first = str(form, 'first_name', 40);
  const last = str(form, 'last_name', 40);
  const name =
    first || last
      ? [first, last].some((n) => n && cjk.test(n))
        ? `${last ?? ''}${first ?? ''}`
        : [first, last].filter(Boolean).join(' ')
      : undefined;

  let placeId: string | undefined;
  let point = lat !== undefined ? { lng: lng!, lat } : undefined;
  const inGrid = point ? await locate(ctx, point.lng, point.lat) : null;
  if (!inGrid) {
    const root = key.orgUnitId ? await findOrgUnit(ctx.db, key.orgUnitId) : null;
    if (addressId) placeId = await placeByCode(ctx, addressId, root?.path ?? null);
    else {
      const hit = (await AddressMatcher.cached(ctx.db, root ? [root.path] : null)).match(address);
      if (!hit)
        throw new Open311Error(
          400,
          point
            ? '该位置不在本平台服务的网格内，且无法从 address_string 确定所在社区'
            : '无法从 address_string 确定所在社区或网格，请提供 lat/long 或 address_id',
        );
      placeId = hit.id;
    }
    point ??= (await representativePoint(ctx.db, placeId)) ?? undefined;
  }
  let id: string;
  try {
    ({ id } = await intake(ctx, caller, {
      channel: 'openApi',
      categoryId: category.id,
      description: description ?? category.name,
      lng: point?.lng,
      lat: point?.lat,
      address,
      placeId,
      reporterName: name,
      reporterPhone: phone,
      anonymous: !name && !phone,
      answers: attributes(form),
      newPhotos: photos,
    }));
  } catch (err) {
    if (err instanceof AppError && err.status < 500)
      throw new Open311Error(
        err.status === 413 ? 413 : 400,
        err.fields
          ?.map((f) => `${f.path.replace(/^answers\.(.+)$/, 'attribute[$1]')}: ${f.message}`)
          .join('；') || err.localized('zh-CN'),
      );
    throw err;
  }
  await ctx.db.insert(open311Request).values({
    workOrderId: id,
    token: randomBytes(12).toString('hex'),
    keyId: key.id,
    accountId: accountId ?? null,
    deviceId: deviceId ?? null,
    email: email ?? null,
    mediaUrl: mediaUrl ?? null,
    addressId: addressId ?? null,
  });
  await markKeyUsed(ctx.db, key.id);
  const [row] = await ctx.db.select({ number: workOrder.number }).from(workOrder).where(eq(workOrder.id, id));
  // Created at once, so the id and no token (the spec returns one or the other).
  return [
    {
      service_request_id: row.number,
      service_notice: `已受理，将在 ${slaText(category)} 内办理`,
      account_id: accountId ?? null,
    },
  ];
}

/** ISO 8601 in Beijing time, as the spec's examples carry an offset. */
export function isoShanghai(d: Date | null | undefined): string | null {
  return d ? iso(d) : null;
}

// status_notes: what a resident is told of the latest of these (work-orders/public.ts), never a staff note.
const noteTypes = ['rejected', 'merged', 'resolved', 'verificationFailed', 'closed', 'reopened'];

/** The photo the public may see in place of a reported one: itself, its blurred copy, or none. */
const publicPhoto = (moderated: Record<string, string | null> | null, id: string | null) =>
  id && moderated && id in moderated ? moderated[id] : id;

async function requestObjects(
  ctx: AppContext,
  where: ReturnType<typeof and>,
  limit: number,
  baseUrl: string,
) {
  const rows = await ctx.db
    .select({
      wo: workOrder,
      code: workOrderCategory.code,
      serviceName: workOrderCategory.name,
      slaHours: workOrderCategory.slaHours,
      slaWorkingDays: workOrderCategory.slaWorkingDays,
      mediaUrl: open311Request.mediaUrl,
      addressId: open311Request.addressId,
      photo: sql<string | null>`(select e.data->'photoIds'->>0 from ${workOrderEvent} e
        where e.work_order_id = ${workOrder.id} and e.seq = 1)`,
      agency: unitLabelSql(workOrder.handlerUnitId),
      note: sql<{ type: EventType; data: PublicEventInput['data'] } | null>`(select
        jsonb_build_object('type', e.type, 'data', e.data) from ${workOrderEvent} e
        where e.work_order_id = ${workOrder.id} and e.type in (${sql.join(
          noteTypes.map((t) => sql`${t}`),
          sql`, `,
        )}) order by e.seq desc limit 1)`,
    })
    .from(workOrder)
    .innerJoin(open311Request, eq(open311Request.workOrderId, workOrder.id))
    .innerJoin(workOrderCategory, eq(workOrderCategory.id, workOrder.categoryId))
    .where(where)
    .orderBy(desc(workOrder.createdAt))
    .limit(limit);
  // Published to anyone: ID numbers and phones written into the free text are masked.
  const masked = (text: string | null) => text && maskPiiInText(text);
  return rows.map((r) => {
    const photo = publicPhoto(r.wo.publicPhotos, r.photo);
    return {
      service_request_id: r.wo.number,
      status: r.wo.status === 'closed' ? 'closed' : 'open',
      status_notes: r.note ? masked(publicText({ ...r.note, before: null })) : null,
      service_name: r.serviceName,
      service_code: r.code,
      description: masked(r.wo.publicDescription ?? r.wo.description),
      agency_responsible: r.agency,
      service_notice: `办理时限 ${slaText(r)}`,
      requested_datetime: isoShanghai(r.wo.createdAt),
      updated_datetime: isoShanghai(r.wo.updatedAt),
      expected_datetime: isoShanghai(r.wo.dueAt),
      address: masked(r.wo.address),
      address_id: r.addressId,
      zipcode: null,
      lat: r.wo.lat,
      long: r.wo.lng,
      media_url: r.mediaUrl ?? (photo ? `${baseUrl}/open311/v2/media/${photo}` : null),
    };
  });
}

/**
 * GET requests: by ids (other filters then ignored, as the spec says), else by service, status and
 * period — the last 90 days by default, 1000 at most. Lists may be comma-separated or repeated.
 */
export async function listRequests(ctx: AppContext, q: Form, baseUrl: string) {
  const ids = list(q, 'service_request_id');
  if (ids.length) return requestObjects(ctx, and(inArray(workOrder.number, ids)), 1000, baseUrl);
  const codes = list(q, 'service_code');
  const statuses = list(q, 'status');
  if (statuses.some((s) => s !== 'open' && s !== 'closed'))
    throw new Open311Error(400, 'status 只能是 open 或 closed');
  const end = dateParam(q, 'end_date');
  const start = dateParam(q, 'start_date') ?? new Date((end ?? new Date()).getTime() - 90 * 86400_000);
  if (end && start > end)
    throw new Open311Error(400, 'start_date 不能晚于 end_date (start_date after end_date)');
  const where = [sql`${workOrder.createdAt} >= ${start}`];
  if (end) where.push(sql`${workOrder.createdAt} <= ${end}`);
  if (codes.length) where.push(inArray(workOrderCategory.code, codes));
  if (statuses.length === 1)
    where.push(
      statuses[0] === 'closed' ? sql`${workOrder.status} = 'closed'` : sql`${workOrder.status} <> 'closed'`,
    );
  return requestObjects(ctx, and(...where), 1000, baseUrl);
}

export async function getRequest(ctx: AppContext, id: string, baseUrl: string) {
  const rows = await requestObjects(ctx, and(eq(workOrder.number, id)), 1, baseUrl);
  if (!rows.length) throw new Open311Error(404, `service_request_id ${id} 不存在 (request not found)`);
  return rows;
}

export async function tokenLookup(ctx: AppContext, token: string) {
  const [row] = await ctx.db
    .select({ number: workOrder.number })
    .from(open311Request)
    .innerJoin(workOrder, eq(workOrder.id, open311Request.workOrderId))
    .where(eq(open311Request.token, token));
  if (!row) throw new Open311Error(404, `token ${token} 不存在 (token not found)`);
  return [{ service_request_id: row.number, token }];
}

/**
 * A photo of an Open311 request as the public may see it: one sent with the report (or its blurred
 * copy), never one moderation hid, nor staff's later photos.
 */
export async function publicMedia(ctx: AppContext, fileId: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(fileId))
    throw new Open311Error(404, '没有这张照片 (media not found)');
  const rows = await ctx.db
    .select({ photos: sql<string[] | null>`e.data->'photoIds'`, moderated: workOrder.publicPhotos })
    .from(open311Request)
    .innerJoin(workOrder, eq(workOrder.id, open311Request.workOrderId))
    .innerJoin(sql`${workOrderEvent} e`, sql`e.work_order_id = ${workOrder.id} and e.seq = 1`)
    .where(
      sql`exists (select 1 from file f where f.id = ${fileId}::uuid and f.owner_type = 'workOrder'
        and f.owner_id = ${workOrder.id}::text)`,
    );
  const shown = rows.some((r) => (r.photos ?? []).some((p) => publicPhoto(r.moderated, p) === fileId));
  if (!shown) throw new Open311Error(404, '没有这张照片 (media not found)');
  const file = await ctx.files.find(ctx.db, fileId);
  if (!file) throw new Open311Error(404, '没有这张照片 (media not found)');
  return file;
}
