import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { sendFile } from '../../platform/files/routes.js';
import type { App } from '../../platform/http/types.js';
import type { NewPhoto } from '../work-orders/intake.js';
import { cors, readMultipart } from './http.js';
import {
  createRequest,
  discovery,
  type Form,
  getRequest,
  listRequests,
  Open311Error,
  publicMedia,
  serviceDefinition,
  services,
  tokenLookup,
} from './service.js';
import { toXml } from './xml.js';

/**
 * Open311 GeoReport v2, mounted at /open311/v2. Public routes ('public' action): reading needs no
 * key, `POST requests` checks `api_key` itself. Every endpoint in `.json` and `.xml`; errors are
 * `[{code, description}]` (`<errors><error>…`) with 403 for a bad key, 404 for an unknown id or
 * service, 400 for anything else the client got wrong.
 */
const tags = ['open311'];
const formats = ['json', 'xml'] as const;
type Format = (typeof formats)[number];

const isXml = (req: FastifyRequest) => (req.url.split('?')[0] ?? '').endsWith('.xml');

function send(
  reply: FastifyReply,
  format: Format,
  status: number,
  body: unknown,
  root: string,
  item?: string,
) {
  reply.status(status);
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(toXml(root, body, item));
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
}

const loose = z.record(z.string(), z.unknown());

/** Where this server is, as the client sees it (behind a proxy: from X-Forwarded-* with TRUST_PROXY). */
const baseUrl = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

const errors = (req: FastifyRequest, reply: FastifyReply, status: number, description: string) =>
  send(reply, isXml(req) ? 'xml' : 'json', status, [{ code: status, description }], 'errors', 'error');

export default async function open311Routes(app: App) {
  await app.register(cors);
  // An unknown path or format extension gets the spec's error array, not the console's 404.
  app.setNotFoundHandler((req, reply) =>
    errors(req, reply, 404, `没有这个接口：${req.method} ${req.url.split('?')[0]} (not found)`),
  );
  app.setErrorHandler((err: any, req, reply) => {
    let status = 500;
    let description = '服务器内部错误 (internal error)';
    if (err instanceof Open311Error) ({ status, description } = err);
    else if (hasZodFastifySchemaValidationErrors(err)) {
      status = 400;
      description = err.validation
        .map(
          (v) =>
            `${String(v.instancePath).split('/').filter(Boolean).join('.') || err.validationContext}: ${v.message}`,
        )
        .join('；');
    } else if (err instanceof AppError) {
      status =
        err.status === 401 || err.status === 403
          ? 403
          : err.status === 404
            ? 404
            : err.status >= 500
              ? 500
              : 400;
      description =
        err.fields?.map((f) => `${f.path}: ${f.message}`).join('；') ||
        err.localized(req.caller?.locale ?? 'zh-CN');
    } else if (typeof err.statusCode === 'number' && err.statusCode < 500) {
      // Fastify's own refusals (bad body, too large, rate limited) keep their status.
      status = err.statusCode === 401 ? 403 : err.statusCode;
      description = String(err.message ?? 'bad request');
    } else req.log.error({ err }, 'open311 request failed');
    return errors(req, reply, status, description);
  });

  for (const format of formats) {
    const config = { action: 'public' as const };

    app.get(
      `/discovery.${format}`,
      { config, schema: { tags, summary: `Open311 服务发现（${format}）` } },
      async (req, reply) => send(reply, format, 200, discovery(baseUrl(req)), 'discovery'),
    );

    app.get(
      `/services.${format}`,
      { config, schema: { tags, summary: `Open311 服务列表：可上报的诉求类别（${format}）` } },
      async (_req, reply) => send(reply, format, 200, await services(app.ctx.db), 'services', 'service'),
    );

    app.get(
      `/services/:service_code.${format}`,
      {
        config,
        schema: {
          tags,
          summary: `Open311 服务定义（${format}；本平台的服务无附加属性）`,
          params: z.object({ service_code: z.string().max(100) }),
          querystring: loose,
        },
      },
      async (req, reply) =>
        send(
          reply,
          format,
          200,
          await serviceDefinition(app.ctx.db, req.params.service_code),
          'service_definition',
        ),
    );

    app.post(
      `/requests.${format}`,
      {
        config: { ...config, rateLimit: { max: 600, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: `Open311 提交诉求（表单或 multipart 连同照片，须 api_key；${format}）`,
          description:
            '字段：api_key、service_code、lat 与 long（WGS-84）或 address_string 或 address_id（楼栋、网格或社区编码）、attribute[编码]、description、media_url、email、first_name、last_name、phone、account_id、device_id；multipart 时照片为文件字段（任意字段名，至多 9 张）。',
          consumes: ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'],
          body: loose.nullish(),
          querystring: loose,
        },
      },
      async (req, reply) => {
        // The spec sends everything in the form; a key in the query string is accepted as well.
        let body = (req.body as Form) ?? {};
        let photos: NewPhoto[] = [];
        if (req.isMultipart()) ({ fields: body, photos } = await readMultipart(req.parts()));
        const form: Form = { ...(req.query as Form), ...body };
        return send(
          reply,
          format,
          200,
          await createRequest(app.ctx, form, photos),
          'service_requests',
          'request',
        );
      },
    );

    app.get(
      `/requests.${format}`,
      {
        config,
        schema: {
          tags,
          summary: `Open311 诉求列表（service_request_id、service_code、start_date、end_date、status；默认近 90 天，最多 1000 条；${format}）`,
          querystring: loose,
        },
      },
      async (req, reply) =>
        send(
          reply,
          format,
          200,
          await listRequests(app.ctx, req.query as Form, baseUrl(req)),
          'service_requests',
          'request',
        ),
    );

    app.get(
      `/requests/:service_request_id.${format}`,
      {
        config,
        schema: {
          tags,
          summary: `Open311 单条诉求（${format}）`,
          params: z.object({ service_request_id: z.string().max(40) }),
          querystring: loose,
        },
      },
      async (req, reply) =>
        send(
          reply,
          format,
          200,
          await getRequest(app.ctx, req.params.service_request_id, baseUrl(req)),
          'service_requests',
          'request',
        ),
    );

    app.get(
      `/tokens/:token.${format}`,
      {
        config,
        schema: {
          tags,
          summary: `Open311 由 token 查诉求编号（${format}）`,
          params: z.object({ token: z.string().max(64) }),
          querystring: loose,
        },
      },
      async (req, reply) =>
        send(reply, format, 200, await tokenLookup(app.ctx, req.params.token), 'service_requests', 'request'),
    );
  }

  app.get(
    '/media/:id',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary: 'Open311 诉求所附照片（公开版本：经处理的照片为模糊副本，隐藏的不提供；不含 EXIF）',
        params: z.object({ id: z.string().max(64) }),
      },
    },
    async (req, reply) => sendFile(app.ctx, reply, await publicMedia(app.ctx, req.params.id), ''),
  );
}
