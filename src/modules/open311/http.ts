import type { MultipartFile } from '@fastify/multipart';
import fp from 'fastify-plugin';
import { nulAt } from '../../platform/http/input-guard.js';
import type { App } from '../../platform/http/types.js';
import type { NewPhoto } from '../work-orders/intake.js';
import { type Form, Open311Error } from './params.js';

/**
 * Cross-origin access for browser clients: any origin may read the public resources and POST
 * (a POST carries its own api_key; no cookie is ever honoured here, so no credentials are allowed).
 * Preflights are answered for every Open311 path.
 */
export const cors = fp(async (app: App) => {
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('access-control-allow-origin', '*');
    // helmet's same-origin resource policy would stop a page elsewhere from embedding our media.
    reply.header('cross-origin-resource-policy', 'cross-origin');
  });
  app.options('/*', { config: { action: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const wanted = req.headers['access-control-request-headers'];
    return reply
      .status(204)
      .header('access-control-allow-methods', 'GET, POST, OPTIONS')
      .header(
        'access-control-allow-headers',
        typeof wanted === 'string' && /^[\w\s,-]{1,500}$/.test(wanted) ? wanted : 'Content-Type',
      )
      .header('access-control-max-age', '86400')
      .send();
  });
});

/**
 * A multipart POST as FixMyStreet sends one when a report has photos: the form's fields (a name
 * sent twice becomes an array, as in a urlencoded form) and every file part, whatever its name.
 * Files are only read here; they are stored with the work order, or not at all.
 */
export async function readMultipart(parts: AsyncIterableIterator<MultipartFile | any>) {
  const fields: Form = Object.create(null);
  const photos: NewPhoto[] = [];
  for await (const part of parts) {
    if (part.type === 'file') {
      const bytes: Buffer = await part.toBuffer();
      if (bytes.length) photos.push({ bytes, name: part.filename, mime: part.mimetype });
      continue;
    }
    const name = String(part.fieldname);
    const value = String(part.value ?? '');
    // The edge's NUL check sees no multipart field (they are read here): the same rule, here.
    if (nulAt({ [name]: value }))
      throw new Open311Error(400, `${name.replaceAll('\u0000', '')}: 不能包含空字符（\\u0000）`);
    const prev = fields[name];
    fields[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return { fields, photos };
}
