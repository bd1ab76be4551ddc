import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { pickLocale, t } from '../../i18n/index.js';
import { AppError, type FieldError } from '../errors.js';
import type { App } from './types.js';

/** PostgreSQL error classes a client can cause; anything else is our bug and a 500. */
const pgErrors: Record<string, { code: string; status: number }> = {
  '23505': { code: 'CONFLICT', status: 409 },
  '23503': { code: 'REFERENCE', status: 409 },
  '23502': { code: 'VALIDATION', status: 400 },
  '23514': { code: 'VALIDATION', status: 400 },
  '22P02': { code: 'BAD_INPUT', status: 400 },
  '22001': { code: 'BAD_INPUT', status: 400 },
  '22003': { code: 'BAD_INPUT', status: 400 },
  '22007': { code: 'BAD_INPUT', status: 400 },
  '22008': { code: 'BAD_INPUT', status: 400 },
  '0A000': { code: 'BAD_INPUT', status: 400 },
};

/** busboy's words for a multipart body that breaks off or is malformed: the client's fault, not ours. */
const malformedMultipart =
  /^(Unexpected end of (form|multipart data|file)|Malformed part header|Part terminated early|Multipart: Boundary not found|Malformed urlencoded form)/;

function pgCode(err: any): string | undefined {
  for (let e = err; e; e = e.cause)
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  return undefined;
}

/** Maps every error to `{code, message, fields?}` in the caller's language. */
export const errorHandling = fp(async (app: App) => {
  app.setErrorHandler((err: any, req, reply) => {
    const locale = req.caller?.locale ?? pickLocale(req.headers['accept-language']);
    const send = (status: number, code: string, message: string, fields?: FieldError[]) =>
      reply.status(status).send(fields ? { code, message, fields } : { code, message });

    if (err instanceof AppError) return send(err.status, err.code, err.localized(locale), err.fields);
    if (hasZodFastifySchemaValidationErrors(err)) {
      // A body field is named as the form names it (`phone`), as services name it in `invalid()`;
      // query and path parameters keep their location (`querystring.page`).
      const location = err.validationContext === 'body' ? [] : [err.validationContext];
      const fields = err.validation.map((v) => ({
        path: [...location, ...String(v.instancePath).split('/').filter(Boolean)].join('.'),
        message: v.message ?? t('validation.invalid', undefined, locale),
      }));
      return send(400, 'VALIDATION', t('error.VALIDATION', undefined, locale), fields);
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause?.issues }, 'response does not match its schema');
      return send(500, 'INTERNAL', t('error.INTERNAL', undefined, locale));
    }
    const code = pgCode(err);
    if (code && pgErrors[code]) {
      const mapped = pgErrors[code];
      req.log.info(
        { pgCode: code, constraint: err.constraint ?? err.cause?.constraint },
        'database refused input',
      );
      return send(mapped.status, mapped.code, t(`error.${mapped.code}`, undefined, locale));
    }
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
      return send(400, 'BAD_JSON', t('error.BAD_JSON', undefined, locale));
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.code === 'FST_REQ_FILE_TOO_LARGE') {
      return send(413, 'PAYLOAD_TOO_LARGE', t('error.PAYLOAD_TOO_LARGE', undefined, locale));
    }
    if (
      err instanceof Error &&
      !(err as { statusCode?: number }).statusCode &&
      malformedMultipart.test(err.message)
    ) {
      return send(400, 'BAD_MULTIPART', t('error.BAD_MULTIPART', undefined, locale));
    }
    if (err.statusCode === 429) return send(429, 'RATE_LIMITED', t('error.RATE_LIMITED', undefined, locale));
    if (err.statusCode === 415 || err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return send(415, 'UNSUPPORTED_MEDIA', t('error.UNSUPPORTED_MEDIA', undefined, locale));
    }
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return send(err.statusCode, 'BAD_INPUT', t('error.BAD_INPUT', undefined, locale));
    }
    req.log.error({ err }, 'unhandled error');
    return send(500, 'INTERNAL', t('error.INTERNAL', undefined, locale));
  });
});

/**
 * What the router answers before any route or hook runs: a path whose percent-encoding does not
 * decode (`/api/residents/%E0%A4%A`) or a parameter over the length limit. Our shape and language,
 * not Fastify's English default.
 */
export function frameworkErrors(err: { code?: string }, req: FastifyRequest, reply: FastifyReply) {
  const locale = pickLocale(req.headers['accept-language']);
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return reply
      .status(414)
      .send({ code: 'URI_TOO_LONG', message: t('error.URI_TOO_LONG', undefined, locale) });
  const message = t('error.BAD_URL', undefined, locale);
  return reply.status(400).send({ code: 'BAD_URL', message, fields: [{ path: 'url', message }] });
}
