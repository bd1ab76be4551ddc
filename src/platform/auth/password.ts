import { hash, verify } from '@node-rs/argon2';
import type { MessageKey } from '../../i18n/index.js';

// argon2id with the library defaults (19 MiB, t=2): about 5 ms a hash here.
export const hashPassword = (password: string) => hash(password);
export const verifyPassword = (hashed: string, password: string) =>
  verify(hashed, password).catch(() => false);

const common = new Set([
  'password',
  'password1',
  'password123',
  '12345678',
  '123456789',
  '1234567890',
  '0123456789',
  'qwertyuiop',
  '11111111',
  '00000000',
  '88888888',
  '66666666',
  'abcdefgh',
  'abc12345',
  'abcd1234',
  'a123456789',
  'admin123',
  'administrator',
  'iloveyou',
  'woaini1314',
  'qwerty123',
  '1qaz2wsx',
  'zaq12wsx',
  'passw0rd',
  'aa123456',
  'qq123456',
  'asdf1234',
  '147258369',
  '123123123',
  '5201314520',
  '1q2w3e4r5t',
  'admin12345',
  'grassroots',
  'grassroots1',
  'changeme123',
  'welcome123',
  'p@ssw0rd',
  'p@ssword1',
]);

/** Password policy: long enough, letters and digits, not the username, not a common password. */
export function passwordProblem(password: string, username: string): MessageKey | null {
  if (password.length < 10) return 'password.tooShort';
  const lower = password.toLowerCase();
  if (username && lower.includes(username.toLowerCase())) return 'password.sameAsUsername';
  if (common.has(lower)) return 'password.tooCommon';
  if (!/[a-zA-Z]/.test(password) || !/\d/.test(password)) return 'password.needsVariety';
  return null;
}
