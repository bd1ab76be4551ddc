import { z } from 'zod';
import { pageQuery, uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { ownCatalog } from './catalog.js';
import { ownMember } from './members.js';
import { fileObjection, ownPublishedList } from './quarters.js';
import { text } from './route-shapes.js';
import {
  createShopItem,
  listRedemptions,
  listShopItems,
  memberPassbook,
  ownPassbook,
  ownShopItems,
  redeem,
} from './shop.js';

const tags = ['party-shop'];

/** 积分存折 and 积分超市, and what a member sees of their own points. */
export default async function shopRoutes(app: App) {
  app.get(
    '/party/shop/items',
    {
      config: { action: 'party.read' },
      schema: { tags, summary: '积分超市商品', querystring: z.object({ partyOrgId: z.uuid().optional() }) },
    },
    async (req) => listShopItems(app.ctx, req.caller, req.query),
  );

  app.post(
    '/party/shop/items',
    {
      config: { action: 'party.manage' },
      schema: {
        tags,
        summary: '积分超市上架商品或服务',
        body: z.strictObject({
          partyOrgId: z.uuid('请选择党组织'),
          name: text(60).min(2, '请填写名称'),
          price: z.number().int().min(1, '兑换所需积分至少 1 分').max(100000),
          stock: z.number().int().min(0, '库存不能为负').max(100000),
          supplier: text(80).nullable().optional(),
        }),
      },
    },
    async (req, reply) => reply.code(201).send(await createShopItem(app.ctx, req.caller, req.body)),
  );

  app.post(
    '/party/shop/redemptions',
    {
      config: { action: 'party.redeem' },
      schema: {
        tags,
        summary: '柜台兑换（余额或库存不足返回 409，不做任何变动）',
        body: z.strictObject({
          memberId: z.uuid('请选择党员'),
          itemId: z.uuid('请选择商品'),
          quantity: z.number().int().min(1).max(100).default(1),
        }),
      },
    },
    async (req, reply) => reply.code(201).send(await redeem(app.ctx, req.caller, req.body)),
  );

  app.get(
    '/party/shop/redemptions',
    { config: { action: 'party.read' }, schema: { tags, summary: '兑换记录', querystring: pageQuery } },
    async (req) => listRedemptions(app.ctx, req.caller, req.query),
  );

  app.get(
    '/party/members/:id/passbook',
    {
      config: { action: 'party.read' },
      schema: { tags, summary: '党员积分存折', params: uuidParam, querystring: pageQuery },
    },
    async (req) => memberPassbook(app.ctx, req.caller, req.params.id, req.query),
  );

  app.get(
    '/party/me',
    { config: { action: 'party.self' }, schema: { tags, summary: '我的党员信息（支部、积分余额）' } },
    async (req) => ownMember(app.ctx.db, req.caller),
  );

  app.get(
    '/party/me/passbook',
    { config: { action: 'party.self' }, schema: { tags, summary: '我的积分存折', querystring: pageQuery } },
    async (req) => ownPassbook(app.ctx, req.caller, req.query),
  );

  app.get(
    '/party/me/shop',
    {
      config: { action: 'party.self' },
      schema: { tags, summary: '我可兑换的积分超市商品（本支部及上级组织）' },
    },
    async (req) => ownShopItems(app.ctx, req.caller),
  );

  app.get(
    '/party/me/catalog',
    { config: { action: 'party.self' }, schema: { tags, summary: '本支部积分细则（申报用）' } },
    async (req) => ownCatalog(app.ctx, req.caller),
  );

  app.get(
    '/party/me/published',
    { config: { action: 'party.self' }, schema: { tags, summary: '本支部最近一次亮分公示' } },
    async (req) => ownPublishedList(app.ctx, req.caller),
  );

  app.post(
    '/party/me/objections',
    {
      config: { action: 'party.self' },
      schema: {
        tags,
        summary: '对公示积分提出异议（公示期内）',
        body: z.strictObject({ quarterId: z.uuid(), text: text(500).min(2, '请写明异议内容') }),
      },
    },
    async (req, reply) =>
      reply.code(201).send(await fileObjection(app.ctx, req.caller, req.body.quarterId, req.body.text)),
  );
}
