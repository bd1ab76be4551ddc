import { z } from 'zod';
import { uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import {
  addCommitteeMember,
  committeeRoles,
  createJointCommittee,
  getJointCommittee,
  listJointCommittees,
  recordMeeting,
} from './joint-committees.js';
import { isoDate, text } from './route-shapes.js';

const tags = ['party-joint-committee'];
const lines = (what: string) =>
  z
    .array(text(200).min(2, `请填写${what}`))
    .min(1, `至少一条${what}`)
    .max(30, `${what}至多 30 条`);

/** 大工委 / 大党委: committees that take partner units' party leaders in, and their 联席会议. */
export default async function jointCommitteeRoutes(app: App) {
  app.get(
    '/party/joint-committees',
    { config: { action: 'party.read' }, schema: { tags, summary: '大工委、大党委（本辖区）' } },
    async (req) => listJointCommittees(app.ctx, req.caller),
  );

  app.post(
    '/party/joint-committees',
    {
      config: { action: 'party.manage' },
      schema: {
        tags,
        summary: '成立大工委（街道）或大党委（社区）',
        body: z.strictObject({
          orgUnitId: z.uuid('请选择街道或社区'),
          name: text(60).min(2, '请填写名称'),
          partyOrgId: z.uuid().nullable().optional(),
        }),
      },
    },
    async (req, reply) => reply.code(201).send(await createJointCommittee(app.ctx, req.caller, req.body)),
  );

  app.get(
    '/party/joint-committees/:id',
    { config: { action: 'party.read' }, schema: { tags, summary: '委员与联席会议记录', params: uuidParam } },
    async (req) => getJointCommittee(app.ctx, req.caller, req.params.id),
  );

  app.post(
    '/party/joint-committees/:id/members',
    {
      config: { action: 'party.manage' },
      schema: {
        tags,
        summary: '增补委员（驻区单位党组织负责人为兼职委员）',
        params: uuidParam,
        body: z.strictObject({
          name: text(40).min(2, '请填写姓名'),
          role: z.enum(committeeRoles, '职务应为书记、副书记、委员或兼职委员'),
          partnerUnit: text(80).nullable().optional(),
          title: text(40).nullable().optional(),
          joinedOn: isoDate,
        }),
      },
    },
    async (req, reply) =>
      reply.code(201).send(await addCommitteeMember(app.ctx, req.caller, req.params.id, req.body)),
  );

  app.post(
    '/party/joint-committees/:id/meetings',
    {
      config: { action: 'party.manage' },
      schema: {
        tags,
        summary: '记录联席会议（日期、出席委员、议题、议定事项）',
        params: uuidParam,
        body: z.strictObject({
          heldOn: isoDate,
          attendeeIds: z.array(z.uuid('请选择出席委员')).min(1, '请选择出席委员').max(100),
          topics: lines('议题'),
          decisions: lines('议定事项'),
        }),
      },
    },
    async (req, reply) =>
      reply.code(201).send(await recordMeeting(app.ctx, req.caller, req.params.id, req.body)),
  );
}
