import { type Locale, type MessageKey, t } from '../i18n/index.js';

export interface FieldError {
  path: string;
  message: string;
}

/**
 * The one error type: a stable `code` clients can branch on, an HTTP status, and a message key
 * rendered in the caller's language when the response is written.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly messageKey: MessageKey | string = `error.${code}`,
    readonly params?: Record<string, unknown>,
    readonly fields?: FieldError[],
  ) {
    super(t(messageKey, params));
  }

  localized(locale: Locale) {
    return t(this.messageKey, this.params, locale);
  }
}

export const notFound = () => new AppError('NOT_FOUND', 404);
export const forbidden = () => new AppError('FORBIDDEN', 403);
export const unauthenticated = (key: MessageKey = 'error.UNAUTHENTICATED') =>
  new AppError('UNAUTHENTICATED', 401, key);
export const conflict = (key: MessageKey | string = 'error.CONFLICT', params?: Record<string, unknown>) =>
  new AppError('CONFLICT', 409, key, params);

/** A 400 that names the field, for rules zod schemas cannot express (checksums, cross-field rules). */
export function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION', 400, 'error.VALIDATION', undefined, [{ path, message }]);
}
