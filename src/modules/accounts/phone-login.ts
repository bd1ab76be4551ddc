import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { maskPhone } from '../../platform/crypto.js';
import { rowsOf } from '../../platform/db/index.js';
import { user } from './schema.js';

/**
 * Residents sign in with their phone. The phone is kept like every phone (encrypted, found by its
 * keyed hash); the `username` column of such an account holds the masked phone and a random tag
 * (unique, not personal), so every place that shows or logs a username shows it masked.
 */

/** A phone typed at login: 11 digits from 1, with spaces, dashes or +86 as people write it. */
export function loginPhone(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/** The username column of a phone account: `139****0077·3fa2c1`. */
export const phoneUsername = (phone: string) => `${maskPhone(phone)}·${randomBytes(3).toString('hex')}`;

const tagged = /^(1\d\d\*{4}\d{4})·[0-9a-f]+$/;
/** The name shown for an account: a phone account's masked phone, without its tag. */
export const shownUsername = (username: string) => username.match(tagged)?.[1] ?? username;

/**
 * Start-up step for accounts made before phones were protected, whose username is still a plain
 * phone: SQL cannot encrypt, so this runs once the key is loaded. Idempotent; a no-op once done.
 */
export async function protectPhoneUsernames(ctx: AppContext) {
  const rows = rowsOf<{ id: string; username: string; phoneEnc: string | null }>(
    await ctx.db.execute(
      sql`select id, username, phone_enc as "phoneEnc" from "user" where username ~ '^1[3-9][0-9]{9}$'`,
    ),
  );
  for (const r of rows) {
    await ctx.db
      .update(user)
      .set({
        username: phoneUsername(r.username),
        phoneLogin: true,
        phoneEnc: r.phoneEnc ?? ctx.pii.encrypt(r.username),
        phoneHash: ctx.pii.blindIndex(r.username),
      })
      .where(eq(user.id, r.id));
  }
  return rows.length;
}
