import type { FormInstance } from 'antd';
import { t } from '../../i18n/index.js';
import { getLocale } from './i18n.js';

/** The API client: cookie session, JSON in and out, server errors as ApiError with the fields that are wrong. */
export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

let onUnauthenticated: () => void = () => {};
export function setUnauthenticatedHandler(fn: () => void) {
  onUnauthenticated = fn;
}

export async function api<T = unknown>(
  path: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<T> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('content-type', 'application/json');
  headers.set('accept-language', getLocale());
  let res: Response;
  try {
    res = await fetch(path, {
      credentials: 'same-origin',
      ...rest,
      headers,
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', t('ui.networkError', undefined, getLocale()));
  }
  const text = await res.text();
  const body = text ? safeJson(text) : null;
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith('/api/auth/login')) onUnauthenticated();
    throw new ApiError(res.status, body?.code ?? 'HTTP', body?.message ?? res.statusText, body?.fields ?? []);
  }
  return body as T;
}

function safeJson(text: string) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** `body.username` → `username`: the form field a server error belongs to. */
export function formFieldErrors(err: unknown): { name: (string | number)[]; errors: string[] }[] {
  if (!(err instanceof ApiError)) return [];
  return err.fields.map((f) => ({
    name: f.path.replace(/^(body|query|params|querystring)\./, '').split('.'),
    errors: [f.message],
  }));
}

/**
 * Puts a 400's field errors under the form's fields (`form.setFields`). Returns false when the error
 * names no field of this form, so the caller shows the message elsewhere (a toast or an alert).
 */
export function applyFieldErrors(form: FormInstance, err: unknown): boolean {
  const known = new Set(Object.keys(form.getFieldsValue()));
  const fields = formFieldErrors(err).filter((f) => known.has(String(f.name[0])));
  if (!fields.length) return false;
  form.setFields(fields);
  return true;
}

/**
 * The form's values, or null when a field is invalid: the form already shows what is wrong there,
 * so a handler just stops (antd's own promise would reject and go unhandled).
 */
export function validValues<T>(form: FormInstance<T>): Promise<T | null> {
  return form.validateFields().then(
    (v) => v,
    () => null,
  );
}

export function queryString(params: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
