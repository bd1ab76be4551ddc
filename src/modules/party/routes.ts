import { z } from 'zod';
import { pageQuery, uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { createMember, getMember, listMembers, transferMember } from './members.js';
import { createPartyOrg, getPartyOrg, listPartyOrgs, setSecretary } from './orgs.js';
import { flag, isoDate, text } from './route-shapes.js';
import { partyOrgKinds } from './rules.js';

const tags = ['party'];

/** Party organisations and members: the tree, the roster, registration and 组织关系转接. */
export default async function partyRoutes(app: App) {
  app.get(
    '/party/orgs',
    {
      config: { action: 'party.read' },
      schema: {
        tags,
        summary: '党组织（本辖区，按层级排列，含党员数）',
        querystring: z.object({ orgUnitId: z.uuid().optional() }),
      },
    },
    async (req) => listPartyOrgs(app.ctx, req.caller, req.query),
  );

  app.post(
    '/party/orgs',
    {
      config: { action: 'party.manage' },
      schema: {
        tags,
        summary: '成立党组织（党委/党工委/党总支/党支部/党小组）',
        body: z.strictObject({
          kind: z.enum(partyOrgKinds, '党组织类别应为党委、党工委、党总支、党支部或党小组'),
          name: text(60).min(2, '请填写党组织名称'),
          orgUnitId: z.uuid('请选择所在单位'),
          parentId: z.uuid().nullable().optional(),
          foundedOn: isoDate.nullable().optional(),
        }),
      },
    },
    async (req, reply) => reply.code(201).send(await createPartyOrg(app.ctx, req.caller, req.body)),
  );

  app.get(
    '/party/orgs/:id',
    { config: { action: 'party.read' }, schema: { tags, summary: '党组织详情', params: uuidParam } },
    async (req) => getPartyOrg(app.ctx, req.caller, req.params.id),
  );

  app.post(
    '/party/orgs/:id/secretary',
    {
      config: { action: 'party.manage' },
      schema: {
        tags,
        summary: '任命书记（须为本组织党员）',
        params: uuidParam,
        body: z.strictObject({ memberId: z.uuid('请选择党员') }),
      },
    },
    async (req) => setSecretary(app.ctx, req.caller, req.params.id, req.body.memberId),
  );

  app.get(
    '/party/members',
    {
      config: { action: 'party.read' },
      schema: {
        tags,
        summary: '党员名册（本辖区，可按组织、姓名、在职、流动筛选）',
        querystring: pageQuery.extend({
          partyOrgId: z.uuid().optional(),
          q: text(40).min(1).optional(),
          inService: flag.optional(),
          mobile: flag.optional(),
          sort: z.enum(['name', 'joinedOn']).optional(),
        }),
      },
    },
    async (req) => listMembers(app.ctx, req.caller, req.query),
  );

  app.post(
    '/party/members',
    {
      config: { action: 'party.manage' },
      schema: {
        tags,
        summary: '登记党员（一人一条记录；已在别处的返回 409 并说明所在组织）',
        body: z.strictObject({
          residentId: z.uuid('请选择居民'),
          partyOrgId: z.uuid('请选择党组织'),
          joinedOn: isoDate.nullable().optional(),
          standing: z.enum(['full', 'probationary'], '应为正式党员或预备党员').optional(),
          inService: z.boolean().optional(),
          workplace: text(80).nullable().optional(),
          workplaceOrg: text(80).nullable().optional(),
          mobile: z.boolean().optional(),
          mobileWhere: text(80).nullable().optional(),
        }),
      },
    },
    async (req, reply) => reply.code(201).send(await createMember(app.ctx, req.caller, req.body)),
  );

  app.get(
    '/party/members/:id',
    {
      config: { action: 'party.read' },
      schema: { tags, summary: '党员详情（含组织关系转接记录）', params: uuidParam },
    },
    async (req) => getMember(app.ctx, req.caller, req.params.id),
  );

  app.post(
    '/party/members/:id/transfer',
    {
      config: { action: 'party.manage' },
      schema: {
        tags,
        summary: '组织关系转接',
        params: uuidParam,
        body: z.strictObject({
          toOrgId: z.uuid('请选择转入党组织'),
          movedOn: isoDate,
          reason: text(200).min(2, '请写明转接原因'),
        }),
      },
    },
    async (req) => transferMember(app.ctx, req.caller, req.params.id, req.body),
  );
}
