import { z } from 'zod';
import { sessionCookie } from '../../platform/http/authentication.js';
import { ok, timestamp, uuidParam } from '../../platform/http/schemas.js';
import type { App } from '../../platform/http/types.js';
import { registerAccountLabels } from './audit-labels.js';
import {
  actAs,
  changePassword,
  describeMe,
  listOwnSessions,
  loadMe,
  login,
  logout,
  revokeOwnSession,
} from './service.js';

const assignment = z.object({
  id: z.uuid(),
  role: z.string(),
  orgUnitId: z.uuid().nullable(),
  orgPath: z.string().nullable(),
  orgName: z.string().nullable(),
});

export const me = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  kind: z.enum(['staff', 'resident']),
  assignments: z.array(assignment),
  actingAssignmentId: z.uuid().nullable(),
  mustChangePassword: z
    .boolean()
    .describe('true: the password was reset or generated; only changing it is allowed'),
  permissions: z.array(z.string()),
});

const tags = ['auth'];

export default async function authRoutes(app: App) {
  registerAccountLabels();
  app.post(
    '/auth/login',
    {
      config: {
        action: 'public',
        rateLimit: { max: app.ctx.config.LOGIN_RATE_PER_MINUTE, timeWindow: '1 minute' },
      },
      schema: {
        tags,
        summary: '登录',
        body: z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) }),
        response: { 200: z.object({ token: z.string(), user: me }) },
      },
    },
    async (req, reply) => {
      const result = await login(app.ctx, req.caller, { ...req.body, userAgent: req.headers['user-agent'] });
      reply.setCookie(sessionCookie, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: 'auto',
        maxAge: app.ctx.config.SESSION_ABSOLUTE_HOURS * 3600,
      });
      return { token: result.token, user: await loadMe(app.ctx, result.userId, result.sessionId) };
    },
  );

  app.post(
    '/auth/logout',
    { config: { action: 'authenticated' }, schema: { tags, summary: '退出登录', response: { 200: ok } } },
    async (req, reply) => {
      await logout(app.ctx, req.caller);
      reply.clearCookie(sessionCookie, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get(
    '/auth/me',
    { config: { action: 'authenticated' }, schema: { tags, summary: '当前用户', response: { 200: me } } },
    async (req) => describeMe(req.caller.user!),
  );

  app.post(
    '/auth/password',
    {
      config: { action: 'authenticated', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: '修改密码',
        body: z.object({ current: z.string().min(1).max(200), next: z.string().min(1).max(200) }),
        response: { 200: ok },
      },
    },
    async (req) => {
      await changePassword(app.ctx, req.caller, req.body);
      return { ok: true as const };
    },
  );

  app.get(
    '/auth/sessions',
    {
      config: { action: 'authenticated' },
      schema: {
        tags,
        summary: '我的登录会话',
        response: {
          200: z.array(
            z.object({
              id: z.uuid(),
              ip: z.string().nullable(),
              userAgent: z.string().nullable(),
              createdAt: timestamp,
              lastSeenAt: timestamp,
              expiresAt: timestamp,
              current: z.boolean(),
            }),
          ),
        },
      },
    },
    async (req) => listOwnSessions(app.ctx, req.caller),
  );

  app.delete(
    '/auth/sessions/:id',
    {
      config: { action: 'authenticated' },
      schema: { tags, summary: '注销一个会话', params: uuidParam, response: { 200: ok } },
    },
    async (req) => {
      await revokeOwnSession(app.ctx, req.caller, req.params.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/auth/act-as',
    {
      config: { action: 'authenticated' },
      schema: {
        tags,
        summary: '切换当前身份（以某一角色办理）',
        body: z.object({ assignmentId: z.uuid().nullable() }),
        response: { 200: me },
      },
    },
    async (req) => actAs(app.ctx, req.caller, req.body.assignmentId),
  );
}
