import { constants } from 'node:zlib';
import compress from '@fastify/compress';
import fp from 'fastify-plugin';
import type { App } from './types.js';

/**
 * Compresses API answers of 1 KB and more (lists, categories, statistics, OpenAPI) for phones on
 * a weak signal: JSON shrinks to a fifth or less. Brotli at quality 4, not zlib's default 11,
 * which costs more CPU than the bytes it saves. The built web app is already served
 * pre-compressed, and images, workbooks and other packed types are passed through as they are.
 */
export const compression = fp(async (app: App) => {
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
  });
});
