import { and, asc, eq, ilike, isNull, like, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { timestamp } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { getBuilding } from './buildings.js';
import { building, orgUnit } from './schema.js';
import { unitLabels } from './units.js';

/**
 * Look-ups for the mobile app: the public community search a resident registers with (before any
 * login), and the building a grid worker opens by scanning its QR code or typing its code.
 */
const like_ = (s: string) => s.replace(/[%_\\]/g, '\\$&');

const communityOut = z.object({
  id: z.uuid(),
  name: z.string(),
  street: z.string().nullable(),
  district: z.string().nullable(),
  /** Middle of the community's grids (or boundary), for a map when the phone has no position. */
  centre: z.object({ lng: z.number(), lat: z.number() }).nullable(),
});

export async function searchCommunities(ctx: AppContext, q: { q?: string; id?: string }) {
  if (!q.q && !q.id) return [];
  // Qualified by hand: drizzle leaves a one-table select's columns bare, which the subqueries would capture.
  const street = sql`(select s.name from org_unit s where s.id = org_unit.parent_id)`;
  const rows = await ctx.db
    .select({
      id: orgUnit.id,
      name: orgUnit.name,
      street: sql<string | null>`${street}`,
      district: sql<string | null>`(select d.name from org_unit s join org_unit d on d.id = s.parent_id
        where s.id = org_unit.parent_id)`,
      box: sql<{ a: number; b: number; c: number; d: number } | null>`(select case when min(g.min_lng) is null
        then null else json_build_object('a', min(g.min_lng), 'b', min(g.min_lat), 'c', max(g.max_lng), 'd', max(g.max_lat)) end
        from grid g join org_unit gu on gu.id = g.org_unit_id
        where gu.parent_id = org_unit.id and gu.deleted_at is null)`,
    })
    .from(orgUnit)
    .where(
      and(
        eq(orgUnit.kind, 'community'),
        isNull(orgUnit.deletedAt),
        q.id
          ? // A resident's place may be a grid of the community: its community is meant.
            sql`org_unit.id in (${q.id}, (select g.parent_id from org_unit g where g.id = ${q.id} and g.kind = 'grid'))`
          : or(ilike(orgUnit.name, `%${like_(q.q!)}%`), ilike(sql`${street}`, `%${like_(q.q!)}%`)),
      ),
    )
    .orderBy(asc(orgUnit.name))
    .limit(20);
  return rows.map(({ box, ...r }) => {
    const b = typeof box === 'string' ? JSON.parse(box) : box;
    return {
      ...r,
      centre: b ? { lng: (Number(b.a) + Number(b.c)) / 2, lat: (Number(b.b) + Number(b.d)) / 2 } : null,
    };
  });
}

/** The token from what a building's QR code holds (`…/m/b/<token>`), or the text itself. */
export const qrTokenOf = (text: string) => text.trim().match(/\/m\/b\/([\w-]+)/)?.[1] ?? text.trim();

/**
 * The building a QR code or a typed code names, within the caller's reach. A typed code may be the
 * full code or its end (B001) when only one building the caller can read ends that way.
 */
export async function lookupBuilding(ctx: AppContext, caller: Caller, q: { qr?: string; code?: string }) {
  let id: string | undefined;
  if (q.qr) {
    const [row] = await ctx.db
      .select({ id: building.orgUnitId })
      .from(building)
      .where(eq(building.qrToken, qrTokenOf(q.qr)));
    id = row?.id;
  } else if (q.code) {
    const code = q.code.trim().toUpperCase();
    const rows = await ctx.db
      .select({ id: orgUnit.id, code: orgUnit.code })
      .from(orgUnit)
      .where(
        and(
          eq(orgUnit.kind, 'building'),
          isNull(orgUnit.deletedAt),
          scopeFilter(caller.user, 'org.read', orgUnit.path),
          or(eq(orgUnit.code, code), like(orgUnit.code, `%${like_(code)}`)),
        ),
      )
      .limit(3);
    id = (rows.find((r) => r.code === code) ?? (rows.length === 1 ? rows[0] : undefined))?.id;
  }
  if (!id) throw notFound();
  const b = await getBuilding(ctx.db, caller, id);
  const gridName = b.gridId ? ((await unitLabels(ctx.db, [b.gridId])).get(b.gridId) ?? null) : null;
  const { qrToken: _t, path: _p, ...rest } = b;
  return { ...rest, gridName };
}

export default async function lookupRoutes(app: App) {
  app.get(
    '/public/communities',
    {
      config: { action: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['org'],
        summary: '社区（嘎查村）搜索：注册时选择所在社区（公开，仅社区名称）',
        querystring: z.object({
          q: z.string().trim().min(1).max(40).optional(),
          id: z.uuid().optional(),
        }),
        response: { 200: z.array(communityOut) },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return searchCommunities(app.ctx, req.query);
    },
  );

  app.get(
    '/buildings/lookup',
    {
      config: { action: 'org.read' },
      schema: {
        tags: ['buildings'],
        summary: '按二维码或楼栋编码查找楼栋（网格员扫码）',
        querystring: z
          .object({
            qr: z.string().trim().min(4).max(300).optional().describe('二维码内容（链接或令牌）'),
            code: z.string().trim().min(2).max(40).optional().describe('楼栋编码，或其末尾如 B001'),
          })
          .refine((q) => q.qr || q.code, '请扫描二维码或输入楼栋编码'),
        response: {
          200: z.object({
            id: z.uuid(),
            code: z.string(),
            name: z.string(),
            gridId: z.uuid().nullable(),
            gridName: z.string().nullable(),
            lng: z.number(),
            lat: z.number(),
            address: z.string().nullable(),
            units: z.number().int(),
            floors: z.number().int(),
            householdsPerUnit: z.number().int(),
            leaderUserId: z.uuid().nullable(),
            createdAt: timestamp,
          }),
        },
      },
    },
    async (req) => lookupBuilding(app.ctx, req.caller, req.query),
  );
}
