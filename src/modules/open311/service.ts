import { createHash, randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, grantsFor, scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { maskPiiInText } from '../../platform/pii-text.js';
import { user } from '../accounts/schema.js';
import { createUser } from '../accounts/service.js';
import { forgetSessions } from '../accounts/sessions.js';
import { AddressMatcher } from '../org/address-match.js';
import { locate } from '../org/grids.js';
import { orgUnit } from '../org/schema.js';
import { findOrgUnit } from '../org/units.js';
import { intake } from '../work-orders/intake.js';
import { workOrder, workOrderCategory, workOrderEvent } from '../work-orders/schema.js';
import { open311Key, open311Request } from './schema.js';

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

/** A GeoReport error: `[{code, description}]` with `code` the HTTP status. */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 500,
    readonly description: string,
  ) {
    super(description);
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

// ---------------------------------------------------------------- keys

type KeyRow = typeof open311Key.$inferSelect;

/** A key with its own system user; returns the key itself, which is never stored nor shown again. */
export async function createKey(
  ctx: AppContext,
  caller: Caller | null,
  input: { name: string; orgUnitId?: string | null },
) {
  const name = input.name.trim();
  if (!name) throw invalid('name', '请填写密钥名称（使用方）');
  let unit: Awaited<ReturnType<typeof findOrgUnit>> | null = null;
  const orgUnitId =
    input.orgUnitId ??
    (caller?.user ? (grantsFor(caller.user, 'open311.manage')[0]?.orgUnitId ?? null) : null);
  if (orgUnitId) {
    unit = await findOrgUnit(ctx.db, orgUnitId);
    if (!unit) throw invalid('orgUnitId', '单位不存在');
  }
  if (caller?.user) authorize(caller.user, 'open311.manage', unit?.path ?? null, { outside: 'forbidden' });
  const key = `o311_${randomBytes(24).toString('base64url')}`;
  const keyPrefix = key.slice(0, 9);
  const row = await ctx.db.transaction(async (tx) => {
    const system = await createUser(
      tx,
      {
        username: `open311-${keyPrefix.slice(5)}-${randomBytes(3).toString('hex')}`,
        displayName: `Open311：${name}`,
        password: randomBytes(24).toString('base64url'),
        kind: 'staff',
        createdBy: caller?.user?.id ?? null,
      },
      { skipPolicy: true },
    );
    // Files work orders only through its key: it can never sign in.
    await tx.update(user).set({ status: 'disabled' }).where(eq(user.id, system.id));
    forgetSessions();
    const [k] = await tx
      .insert(open311Key)
      .values({
        name,
        keyHash: sha256(key),
        keyPrefix,
        userId: system.id,
        orgUnitId: unit?.id ?? null,
        createdBy: caller?.user?.id ?? null,
      })
      .returning();
    if (caller)
      await audit(tx, caller, {
        action: 'open311.keyCreated',
        targetType: 'open311Key',
        targetId: k.id,
        orgPath: unit?.path ?? null,
        summary: `发放 Open311 接口密钥「${name}」`,
      });
    return k;
  });
  return { ...(await describeKey(ctx.db, row)), key };
}

async function describeKey(ex: Executor, k: KeyRow) {
  const [unit] = k.orgUnitId
    ? await ex.select({ name: orgUnit.name }).from(orgUnit).where(eq(orgUnit.id, k.orgUnitId))
    : [];
  const [creator] = k.createdBy
    ? await ex.select({ name: user.displayName }).from(user).where(eq(user.id, k.createdBy))
    : [];
  return {
    id: k.id,
    name: k.name,
    keyPrefix: k.keyPrefix,
    orgUnitId: k.orgUnitId,
    orgUnitName: unit?.name ?? null,
    createdByName: creator?.name ?? null,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
  };
}

/** Keys of units in the caller's reach (keys for the whole system: whole-system admins only). */
export async function listKeys(ctx: AppContext, caller: Caller) {
  const rows = await ctx.db
    .select({ k: open311Key })
    .from(open311Key)
    .leftJoin(orgUnit, eq(orgUnit.id, open311Key.orgUnitId))
    .where(
      grantsFor(caller.user!, 'open311.manage').some((g) => g.orgPath === null)
        ? undefined
        : and(isNotNull(open311Key.orgUnitId), scopeFilter(caller.user, 'open311.manage', orgUnit.path)),
    )
    .orderBy(desc(open311Key.createdAt));
  return Promise.all(rows.map((r) => describeKey(ctx.db, r.k)));
}

export async function revokeKey(ctx: AppContext, caller: Caller, id: string) {
  return ctx.db.transaction(async (tx) => {
    const [k] = await tx.select().from(open311Key).where(eq(open311Key.id, id));
    if (!k) throw notFound();
    const unit = k.orgUnitId ? await findOrgUnit(tx, k.orgUnitId) : null;
    authorize(caller.user, 'open311.manage', unit?.path ?? null);
    const [row] = await tx
      .update(open311Key)
      .set({ revokedAt: k.revokedAt ?? new Date() })
      .where(eq(open311Key.id, id))
      .returning();
    if (!k.revokedAt)
      await audit(tx, caller, {
        action: 'open311.keyRevoked',
        targetType: 'open311Key',
        targetId: k.id,
        orgPath: unit?.path ?? null,
        summary: `吊销 Open311 接口密钥「${k.name}」`,
      });
    return describeKey(tx, row);
  });
}

/** The key and the caller its requests are filed as; 403 for a missing, unknown or revoked key. */
async function keyCaller(ctx: AppContext, apiKey: unknown): Promise<{ key: KeyRow; caller: Caller }> {
  if (typeof apiKey !== 'string' || !apiKey) throw new Open311Error(403, 'api_key 缺失 (api_key required)');
  const [key] = await ctx.db
    .select()
    .from(open311Key)
    .where(and(eq(open311Key.keyHash, sha256(apiKey.trim())), isNull(open311Key.revokedAt)));
  if (!key) throw new Open311Error(403, 'api_key 无效或已吊销 (invalid api_key)');
  await ctx.db.update(open311Key).set({ lastUsedAt: new Date() }).where(eq(open311Key.id, key.id));
  const [u] = await ctx.db.select().from(user).where(eq(user.id, key.userId));
  return {
    key,
    caller: {
      ip: null,
      requestId: null,
      locale: 'zh-CN',
      user: {
        id: u.id,
        username: u.username,
        displayName: u.displayName,
        kind: 'staff',
        assignments: [],
        actingAssignmentId: null,
        sessionId: '',
      },
    },
  };
}

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
      metadata: false,
      type: 'realtime',
      keywords: [c.name, group.replace(/（.*）/, '')].filter(Boolean).join(','),
      group,
    };
  });
}

async function findService(ex: Executor, code: string) {
  const [c] = await ex
    .select()
    .from(workOrderCategory)
    .where(and(publicCategories(), eq(workOrderCategory.code, code)));
  return c ?? null;
}

/** No service has extra attributes (metadata is false for all), so a definition lists none. */
export async function serviceDefinition(ex: Executor, code: string) {
  const c = await findService(ex, code);
  if (!c) throw new Open311Error(404, `service_code ${code} 不存在 (service not found)`);
  return { service_code: c.code, attributes: [] as unknown[] };
}

// ---------------------------------------------------------------- requests

export type Form = Record<string, unknown>;

const str = (form: Form, name: string, max: number): string | undefined => {
  const v = form[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new Open311Error(400, `${name} 格式不正确`);
  const s = String(v).trim();
  if (s.length > max) throw new Open311Error(400, `${name} 超过 ${max} 个字符`);
  return s || undefined;
};

const coordinate = (form: Form, name: 'lat' | 'long', min: number, max: number) => {
  const s = str(form, name, 30);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Open311Error(400, `${name} 不是有效的 WGS-84 坐标`);
  return n;
};

const cjk = /[\u4e00-\u9fff]/;

/** Files a request as the key's system user; placed by its point (grid) or its address_string. */
export async function createRequest(ctx: AppContext, form: Form) {
  const { key, caller } = await keyCaller(ctx, form.api_key);
  const code = str(form, 'service_code', 100);
  if (!code) throw new Open311Error(400, 'service_code 必填 (service_code required)');
  const category = await findService(ctx.db, code);
  if (!category) throw new Open311Error(404, `service_code ${code} 不存在 (service not found)`);
  const lat = coordinate(form, 'lat', -90, 90);
  const lng = coordinate(form, 'long', -180, 180);
  if ((lat === undefined) !== (lng === undefined)) throw new Open311Error(400, 'lat 与 long 须同时提供');
  const address = str(form, 'address_string', 200);
  if (lat === undefined && !address)
    throw new Open311Error(400, '须提供位置：lat/long 或 address_string (location required)');
  const description = str(form, 'description', 4000);
  const email = str(form, 'email', 200);
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Open311Error(400, 'email 格式不正确');
  let phone = str(form, 'phone', 30)?.replace(/[\s()-]/g, '');
  if (phone) {
    phone = phone.replace(/^(\+?86)(?=1\d{10}$)/, '');
    if (!/^1\d{10}$|^0\d{9,11}$/.test(phone)) throw new Open311Error(400, 'phone 应为手机号或带区号的固话');
  }
  const mediaUrl = str(form, 'media_url', 1000);
  if (mediaUrl && !/^https?:\/\/\S+$/i.test(mediaUrl))
    throw new Open311Error(400, 'media_url 应为 http(s) 地址');
  const first = str(form, 'first_name', 40);
  const last = str(form, 'last_name', 40);
  const name =
    first || last
      ? [first, last].some((n) => n && cjk.test(n))
        ? `${last ?? ''}${first ?? ''}`
        : [first, last].filter(Boolean).join(' ')
      : undefined;

  // A point outside every grid, or no point: the address names a building, grid or community
  // under the key's unit.
  let placeId: string | undefined;
  let point = lat !== undefined ? { lng: lng!, lat } : undefined;
  const inGrid = point ? await locate(ctx, point.lng, point.lat) : null;
  if (!inGrid) {
    const root = key.orgUnitId ? await findOrgUnit(ctx.db, key.orgUnitId) : null;
    const hit = (await AddressMatcher.cached(ctx.db, root ? [root.path] : null)).match(address);
    if (!hit)
      throw new Open311Error(
        400,
        point
          ? '该位置不在本平台服务的网格内，且无法从 address_string 确定所在社区'
          : '无法从 address_string 确定所在社区或网格，请提供 lat/long',
      );
    placeId = hit.id;
    if (!point && hit.lng !== undefined) point = { lng: hit.lng, lat: hit.lat! };
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
    }));
  } catch (err) {
    if (err instanceof AppError && err.status < 500)
      throw new Open311Error(400, err.fields?.map((f) => f.message).join('；') || err.message);
    throw err;
  }
  const token = randomBytes(12).toString('hex');
  await ctx.db.insert(open311Request).values({
    workOrderId: id,
    token,
    keyId: key.id,
    accountId: str(form, 'account_id', 100) ?? null,
    deviceId: str(form, 'device_id', 200) ?? null,
    email: email ?? null,
    mediaUrl: mediaUrl ?? null,
  });
  const [row] = await ctx.db.select({ number: workOrder.number }).from(workOrder).where(eq(workOrder.id, id));
  return [
    {
      service_request_id: row.number,
      service_notice: `已受理，将在 ${slaText(category)} 内办理`,
      account_id: str(form, 'account_id', 100) ?? null,
      token,
    },
  ];
}

/** ISO 8601 in Beijing time, as the spec's examples carry an offset. */
export function isoShanghai(d: Date | null | undefined): string | null {
  if (!d) return null;
  return `${new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

const noteTypes = ['replied', 'resolved', 'closed', 'rejected', 'verified', 'reopened'];

async function requestObjects(ctx: AppContext, where: ReturnType<typeof and>, limit: number) {
  const rows = await ctx.db
    .select({
      wo: workOrder,
      code: workOrderCategory.code,
      serviceName: workOrderCategory.name,
      slaHours: workOrderCategory.slaHours,
      slaWorkingDays: workOrderCategory.slaWorkingDays,
      mediaUrl: open311Request.mediaUrl,
      agency: sql<string | null>`(select h.name from org_unit h where h.id = ${workOrder.handlerUnitId})`,
      notes: sql<string | null>`(select coalesce(e.data->>'text', e.data->>'reason') from ${workOrderEvent} e
        where e.work_order_id = ${workOrder.id} and e.type in (${sql.join(
          noteTypes.map((t) => sql`${t}`),
          sql`, `,
        )})
        and coalesce(e.data->>'text', e.data->>'reason') is not null order by e.seq desc limit 1)`,
    })
    .from(workOrder)
    .innerJoin(open311Request, eq(open311Request.workOrderId, workOrder.id))
    .innerJoin(workOrderCategory, eq(workOrderCategory.id, workOrder.categoryId))
    .where(where)
    .orderBy(desc(workOrder.createdAt))
    .limit(limit);
  // Published to anyone: ID numbers and phones written into the free text are masked.
  const masked = (text: string | null) => text && maskPiiInText(text);
  return rows.map((r) => ({
    service_request_id: r.wo.number,
    status: r.wo.status === 'closed' ? 'closed' : 'open',
    status_notes: masked(r.notes),
    service_name: r.serviceName,
    service_code: r.code,
    description: masked(r.wo.publicDescription ?? r.wo.description),
    agency_responsible: r.agency,
    service_notice: `办理时限 ${slaText(r)}`,
    requested_datetime: isoShanghai(r.wo.createdAt),
    updated_datetime: isoShanghai(r.wo.updatedAt),
    expected_datetime: isoShanghai(r.wo.dueAt),
    address: masked(r.wo.address),
    address_id: null,
    zipcode: null,
    lat: r.wo.lat,
    long: r.wo.lng,
    media_url: r.mediaUrl,
  }));
}

const list = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

const date = (q: Form, name: string) => {
  const s = str(q, name, 40);
  if (!s) return undefined;
  const d = new Date(s);
  if (Number.isNaN(d.getTime()))
    throw new Open311Error(400, `${name} 应为 W3C 日期时间，如 2026-11-20T00:00:00+08:00`);
  return d;
};

/**
 * GET requests: by ids (other filters then ignored, as the spec says), else by service, status and
 * period — the last 90 days by default, 1000 at most.
 */
export async function listRequests(ctx: AppContext, q: Form) {
  const ids = list(q.service_request_id);
  if (ids.length) return requestObjects(ctx, and(inArray(workOrder.number, ids.slice(0, 1000))), 1000);
  const codes = list(q.service_code);
  const statuses = list(q.status);
  if (statuses.some((s) => s !== 'open' && s !== 'closed'))
    throw new Open311Error(400, 'status 只能是 open 或 closed');
  const end = date(q, 'end_date');
  const start = date(q, 'start_date') ?? new Date((end ?? new Date()).getTime() - 90 * 86400_000);
  const where = [sql`${workOrder.createdAt} >= ${start}`];
  if (end) where.push(sql`${workOrder.createdAt} <= ${end}`);
  if (codes.length) where.push(inArray(workOrderCategory.code, codes));
  if (statuses.length === 1)
    where.push(
      statuses[0] === 'closed' ? sql`${workOrder.status} = 'closed'` : sql`${workOrder.status} <> 'closed'`,
    );
  return requestObjects(ctx, and(...where), 1000);
}

export async function getRequest(ctx: AppContext, id: string) {
  const rows = await requestObjects(ctx, and(eq(workOrder.number, id)), 1);
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
