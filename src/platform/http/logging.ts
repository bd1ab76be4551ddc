import type { FastifyLoggerOptions } from 'fastify';
import { type LoggerOptions, stdSerializers } from 'pino';
import { maskPiiInText } from '../pii-text.js';

/** Query parameters that carry credentials: their values never reach a log line. */
const secretParams = /^(api_?key|token|access_?token|password|secret|key|session|code)$/i;

/** `%zz` and cut sequences stay as they came: a log line must never throw on a client's URL. */
function decodeLoosely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%[0-9a-f]{2}/gi, (seq) => {
      try {
        return decodeURIComponent(seq);
      } catch {
        return seq;
      }
    });
  }
}

/** The URL as a log may show it: secrets in the query redacted, ID numbers and phones masked. */
export function loggableUrl(raw: string): string {
  const at = raw.indexOf('?');
  const path = decodeLoosely(at < 0 ? raw : raw.slice(0, at));
  if (at < 0) return maskPiiInText(path);
  const query = raw
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = decodeLoosely((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
      if (eq < 0) return name;
      const bare = name.replace(/\[.*$/, '');
      return `${name}=${secretParams.test(bare) ? '[redacted]' : decodeLoosely(pair.slice(eq + 1).replace(/\+/g, ' '))}`;
    })
    .join('&');
  return maskPiiInText(`${path}?${query}`);
}

/**
 * An error as a log may show it: the driver's query parameters (which hold what users typed: a
 * phone, an ID number) dropped, and what is left of the message masked.
 */
export function loggableError(err: unknown): Record<string, any> {
  try {
    const out = stdSerializers.err(err as Error) as Record<string, any>;
    return scrubError(out, 0);
  } catch {
    return { message: 'unserialisable error' };
  }
}

function scrubError(e: Record<string, any>, depth: number): Record<string, any> {
  if (!e || typeof e !== 'object' || depth > 5) return e;
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'params' || k === 'parameters' || k === 'values' || k === 'query') continue;
    if (typeof v === 'string') out[k] = maskPiiInText(v.replace(/\nparams:[\s\S]*$/, '\nparams: [redacted]'));
    else if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = scrubError(v, depth + 1);
    else out[k] = v;
  }
  return out;
}

/**
 * pino options: request ids in every line; tokens, cookies and passwords redacted; secrets in query
 * strings redacted; ID numbers and phones masked wherever they could appear in a URL or an error.
 * Serializers are total: whatever a client sends, logging it cannot throw.
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
      req: (req: any) => {
        try {
          return {
            method: req.method,
            url: loggableUrl(String(req.url)),
            remoteAddress: req.ip ?? req.socket?.remoteAddress,
          };
        } catch {
          return { method: req?.method, url: '[unloggable]' };
        }
      },
      err: (err: Error) => loggableError(err) as ReturnType<typeof stdSerializers.err>,
    },
  };
}
