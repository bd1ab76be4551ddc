import { z } from 'zod';
import { roles } from '../../platform/auth/permissions.js';
import { ok, page, pageQuery, timestamp, uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import {
  createStaff,
  getUser,
  grantRole,
  listUsers,
  resetPassword,
  revokeRole,
  revokeUserSessions,
  updateSelf,
  updateUser,
} from './users.js';

const assignmentOut = z.object({
  id: z.uuid(),
  role: z.string(),
  orgUnitId: z.uuid().nullable(),
  orgName: z.string().nullable(),
  orgPath: z.string().nullable(),
  status: z.string(),
});

const userOut = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  kind: z.enum(['staff', 'resident']),
  status: z.enum(['active', 'disabled', 'pending']),
  lastLoginAt: timestamp.nullable(),
  createdAt: timestamp,
  assignments: z.array(assignmentOut),
});

const username = z
  .string()
  .trim()
  .min(3, '用户名至少 3 个字符')
  .max(32, '用户名最多 32 个字符')
  .regex(/^[a-zA-Z][a-zA-Z0-9_.-]*$/, '用户名以字母开头，只能包含字母、数字、点、下划线和连字符');
const displayName = z.string().trim().min(1).max(40);
const role = z.enum(roles);
const tags = ['users'];

export default async function userRoutes(app: App) {
  app.get(
    '/users',
    {
      config: { action: 'user.read' },
      schema: {
        tags,
        summary: '用户列表（本辖区）',
        querystring: pageQuery.extend({
          q: z.string().trim().max(40).optional(),
          status: z.enum(['active', 'disabled', 'pending']).optional(),
          role: role.optional(),
          orgUnitId: z.uuid().optional(),
          sort: z.enum(['username', 'displayName', 'createdAt', 'lastLoginAt']).optional(),
          order: z.enum(['asc', 'desc']).optional(),
        }),
        response: { 200: page(userOut) },
      },
    },
    async (req) => listUsers(app.ctx, req.caller, req.query),
  );

  app.get(
    '/users/:id',
    {
      config: { action: 'user.read' },
      schema: { tags, summary: '用户详情', params: uuidParam, response: { 200: userOut } },
    },
    async (req) => getUser(app.ctx, req.caller, req.params.id),
  );

  app.post(
    '/users',
    {
      config: { action: 'user.manage' },
      schema: {
        tags,
        summary: '新建工作人员账号',
        body: z
          .object({
            username,
            displayName,
            password: z.string().min(1).max(200).optional(),
            role,
            orgUnitId: z.uuid().nullable(),
          })
          .strict(),
        response: { 201: userOut.extend({ initialPassword: z.string().nullable() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await createStaff(app.ctx, req.caller, req.body)),
  );

  app.patch(
    '/users/:id',
    {
      config: { action: 'user.manage' },
      schema: {
        tags,
        summary: '修改账号（姓名、启用/停用）',
        params: uuidParam,
        body: z
          .object({ displayName: displayName.optional(), status: z.enum(['active', 'disabled']).optional() })
          .strict(),
        response: { 200: userOut },
      },
    },
    async (req) => updateUser(app.ctx, req.caller, req.params.id, req.body),
  );

  app.post(
    '/users/:id/roles',
    {
      config: { action: 'user.manage' },
      schema: {
        tags,
        summary: '分配角色',
        params: uuidParam,
        body: z.object({ role, orgUnitId: z.uuid().nullable() }).strict(),
        response: { 200: userOut },
      },
    },
    async (req) => grantRole(app.ctx, req.caller, req.params.id, req.body),
  );

  app.delete(
    '/users/:id/roles/:assignmentId',
    {
      config: { action: 'user.manage' },
      schema: {
        tags,
        summary: '撤销角色',
        params: z.object({ id: z.uuid(), assignmentId: z.uuid() }),
        response: { 200: userOut },
      },
    },
    async (req) => revokeRole(app.ctx, req.caller, req.params.id, req.params.assignmentId),
  );

  app.post(
    '/users/:id/reset-password',
    {
      config: { action: 'user.manage' },
      schema: {
        tags,
        summary: '重置密码（生成新密码，须在首次登录时修改）',
        params: uuidParam,
        response: { 200: z.object({ password: z.string() }) },
      },
    },
    async (req) => resetPassword(app.ctx, req.caller, req.params.id),
  );

  app.delete(
    '/users/:id/sessions',
    {
      config: { action: 'user.manage' },
      schema: {
        tags,
        summary: '强制下线（注销该用户全部会话）',
        params: uuidParam,
        response: { 200: z.object({ revoked: z.number().int() }) },
      },
    },
    async (req) => revokeUserSessions(app.ctx, req.caller, req.params.id),
  );

  app.patch(
    '/auth/me',
    {
      config: { action: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: '修改本人资料',
        body: z.object({ displayName }).strict(),
        response: { 200: ok },
      },
    },
    async (req) => {
      await updateSelf(app.ctx, req.caller, req.body);
      return { ok: true as const };
    },
  );
}
