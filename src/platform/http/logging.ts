import type { FastifyLoggerOptions } from 'fastify';
import type { LoggerOptions } from 'pino';
import { maskPiiInText } from '../crypto.js';

/**
 * pino options: request ids in every line; tokens, cookies and passwords redacted; ID numbers and
 * phones masked wherever they could appear in a URL.
 */
export function loggerOptions(level: string): FastifyLoggerOptions & LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.idNumber',
        '*.phone',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: any) => ({
        method: req.method,
        url: maskPiiInText(decodeURIComponent(String(req.url))),
        remoteAddress: req.ip ?? req.socket?.remoteAddress,
      }),
    },
  };
}
