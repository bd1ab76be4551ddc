import QRCode from 'qrcode';
import { z } from 'zod';
import { ok, page, pageQuery, timestamp, uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import {
  buildingQrUrl,
  createBuilding,
  deleteBuilding,
  getBuilding,
  listBuildings,
  updateBuilding,
} from './buildings.js';
import {
  coverageKinds,
  createGrid,
  deleteGrid,
  getGrid,
  gridTypes,
  listGrids,
  locate,
  mapFeatures,
  updateGrid,
} from './grids.js';
import { unitOutlines } from './outlines.js';

const lng = z.coerce.number().min(-180).max(180);
const lat = z.coerce.number().min(-90).max(90);
const polygon = z.object({
  type: z.literal('Polygon'),
  coordinates: z.array(z.array(z.tuple([z.number(), z.number()])).min(4)).min(1),
});

const gridOut = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  path: z.string(),
  parentId: z.uuid().nullable(),
  type: z.string(),
  targetHouseholds: z.number().int().nullable(),
  coverage: z.string().nullable(),
  leaderUserId: z.uuid().nullable(),
  workerUserIds: z.array(z.uuid()),
  districtCode: z.string(),
  buildingCount: z.number().int(),
  createdAt: timestamp,
});
const gridDetail = gridOut.extend({ boundary: polygon.nullable() });
const gridWrite = z.object({
  name: z.string().trim().min(1).max(60),
  boundary: polygon.nullable().optional(),
  targetHouseholds: z.number().int().min(0).max(100000).nullable().optional(),
  coverage: z.enum(coverageKinds).nullable().optional(),
  leaderUserId: z.uuid().nullable().optional(),
  workerUserIds: z.array(z.uuid()).max(20).optional(),
});

const buildingOut = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  path: z.string(),
  gridId: z.uuid().nullable(),
  lng: z.number(),
  lat: z.number(),
  address: z.string().nullable(),
  units: z.number().int(),
  floors: z.number().int(),
  householdsPerUnit: z.number().int(),
  leaderUserId: z.uuid().nullable(),
  qrToken: z.string(),
  createdAt: timestamp,
});
const buildingWrite = z.object({
  name: z.string().trim().min(1).max(60),
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  address: z.string().trim().max(200).nullable().optional(),
  units: z.number().int().min(1).max(50).optional(),
  floors: z.number().int().min(1).max(200).optional(),
  householdsPerUnit: z.number().int().min(1).max(100).optional(),
  leaderUserId: z.uuid().nullable().optional(),
});

const unitRef = z.object({ id: z.uuid(), code: z.string(), name: z.string(), kind: z.string() }).nullable();
const featureCollection = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.any()) });

export default async function gridRoutes(app: App) {
  const tags = ['grids'];
  app.get(
    '/grids',
    {
      config: { action: 'org.read' },
      schema: {
        tags,
        summary: '网格列表',
        querystring: pageQuery.extend({
          orgUnitId: z.uuid().optional(),
          type: z.enum(gridTypes).optional(),
          q: z.string().trim().max(40).optional(),
          sort: z.enum(['code', 'name']).optional(),
          order: z.enum(['asc', 'desc']).optional(),
        }),
        response: { 200: page(gridOut.extend({ communityName: z.string().nullable() })) },
      },
    },
    async (req) => listGrids(app.ctx.db, req.caller, req.query),
  );

  app.get(
    '/grids/locate',
    {
      config: { action: 'org.read' },
      schema: {
        tags,
        summary: '按坐标定位网格（及社区、街道、旗县区）',
        querystring: z.object({ lng, lat }),
        response: {
          200: z.object({
            found: z.boolean(),
            grid: unitRef,
            community: unitRef,
            street: unitRef,
            district: unitRef,
          }),
        },
      },
    },
    async (req) => {
      const hit = await locate(app.ctx, req.query.lng, req.query.lat);
      if (!hit) return { found: false, grid: null, community: null, street: null, district: null };
      return {
        found: true,
        grid: hit.grid,
        community: hit.community,
        street: hit.street,
        district: hit.district,
      };
    },
  );

  app.get(
    '/grids/geojson',
    {
      config: { action: 'org.read' },
      schema: {
        tags,
        summary: '网格边界与楼栋位置（GeoJSON，WGS-84）',
        querystring: z.object({ orgUnitId: z.uuid().optional(), buildings: z.enum(['0', '1']).default('1') }),
        response: { 200: featureCollection },
      },
    },
    async (req) => mapFeatures(app.ctx.db, req.caller, req.query.orgUnitId, req.query.buildings === '1'),
  );

  app.get(
    '/grids/outlines',
    {
      config: { action: 'org.read' },
      schema: {
        tags,
        summary: '区、街道、社区轮廓（由网格边界合并，离线底图；GeoJSON，WGS-84）',
        querystring: z.object({ orgUnitId: z.uuid().optional() }),
        response: { 200: featureCollection },
      },
    },
    async (req) => unitOutlines(app.ctx.db, req.caller, req.query.orgUnitId),
  );

  app.get(
    '/grids/:id',
    {
      config: { action: 'org.read' },
      schema: { tags, summary: '网格详情', params: uuidParam, response: { 200: gridDetail } },
    },
    async (req) => getGrid(app.ctx.db, req.caller, req.params.id),
  );

  app.post(
    '/grids',
    {
      config: { action: 'org.write' },
      schema: {
        tags,
        summary: '新建网格（自动编码）',
        body: gridWrite.extend({ parentId: z.uuid(), type: z.enum(gridTypes) }).strict(),
        response: { 201: z.object({ grid: gridDetail, warnings: z.array(z.string()) }) },
      },
    },
    async (req, reply) => reply.status(201).send(await createGrid(app.ctx, req.caller, req.body)),
  );

  app.patch(
    '/grids/:id',
    {
      config: { action: 'org.write' },
      schema: {
        tags,
        summary: '修改网格',
        params: uuidParam,
        body: gridWrite.partial().strict(),
        response: { 200: z.object({ grid: gridDetail, warnings: z.array(z.string()) }) },
      },
    },
    async (req) => updateGrid(app.ctx, req.caller, req.params.id, req.body),
  );

  app.delete(
    '/grids/:id',
    {
      config: { action: 'org.write' },
      schema: { tags, summary: '删除网格（保留编码与历史）', params: uuidParam, response: { 200: ok } },
    },
    async (req) => {
      await deleteGrid(app.ctx, req.caller, req.params.id);
      return { ok: true as const };
    },
  );

  const btags = ['buildings'];
  app.get(
    '/buildings',
    {
      config: { action: 'org.read' },
      schema: {
        tags: btags,
        summary: '楼栋列表',
        querystring: pageQuery.extend({
          orgUnitId: z.uuid().optional(),
          q: z.string().trim().max(40).optional(),
        }),
        response: { 200: page(buildingOut.extend({ gridName: z.string().nullable() })) },
      },
    },
    async (req) => listBuildings(app.ctx.db, req.caller, req.query),
  );

  app.get(
    '/buildings/:id',
    {
      config: { action: 'org.read' },
      schema: { tags: btags, summary: '楼栋详情', params: uuidParam, response: { 200: buildingOut } },
    },
    async (req) => getBuilding(app.ctx.db, req.caller, req.params.id),
  );

  app.post(
    '/buildings',
    {
      config: { action: 'org.write' },
      schema: {
        tags: btags,
        summary: '新建楼栋（自动编码）',
        body: buildingWrite.extend({ gridId: z.uuid() }).strict(),
        response: { 201: buildingOut },
      },
    },
    async (req, reply) => reply.status(201).send(await createBuilding(app.ctx, req.caller, req.body)),
  );

  app.patch(
    '/buildings/:id',
    {
      config: { action: 'org.write' },
      schema: {
        tags: btags,
        summary: '修改楼栋',
        params: uuidParam,
        body: buildingWrite.partial().strict(),
        response: { 200: buildingOut },
      },
    },
    async (req) => updateBuilding(app.ctx, req.caller, req.params.id, req.body),
  );

  app.delete(
    '/buildings/:id',
    {
      config: { action: 'org.write' },
      schema: { tags: btags, summary: '删除楼栋', params: uuidParam, response: { 200: ok } },
    },
    async (req) => {
      await deleteBuilding(app.ctx, req.caller, req.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/buildings/:id/qr.svg',
    {
      config: { action: 'org.read' },
      schema: { tags: btags, summary: '楼栋二维码（SVG，链接到移动端楼栋页）', params: uuidParam },
    },
    async (req, reply) => {
      const b = await getBuilding(app.ctx.db, req.caller, req.params.id);
      const origin = `${req.protocol}://${req.host}`;
      const svg = await QRCode.toString(buildingQrUrl(origin, b.qrToken), {
        type: 'svg',
        margin: 1,
        errorCorrectionLevel: 'M',
      });
      return reply.type('image/svg+xml').header('cache-control', 'private, max-age=3600').send(svg);
    },
  );
}
