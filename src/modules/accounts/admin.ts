import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../../platform/context.js';
import { assignRole, createUser, findUserByUsername } from './service.js';

/**
 * The first administrator: password from GRASSROOTS_ADMIN_PASSWORD, or generated, printed once and
 * left in DATA_DIR/initial-admin-password (0600) for whoever starts the server.
 */
export async function ensureAdmin(
  ctx: AppContext,
): Promise<{ created: boolean; password?: string; file?: string }> {
  if (await findUserByUsername(ctx.db, 'admin')) return { created: false };
  const password = ctx.config.GRASSROOTS_ADMIN_PASSWORD ?? `Gr${randomBytes(9).toString('base64url')}7`;
  await ctx.db.transaction(async (tx) => {
    const admin = await createUser(
      tx,
      {
        username: 'admin',
        displayName: '系统管理员',
        password,
        mustChangePassword: !ctx.config.GRASSROOTS_ADMIN_PASSWORD,
      },
      { skipPolicy: true },
    );
    await assignRole(tx, { userId: admin.id, role: 'systemAdmin', orgUnitId: null, orgPath: null });
  });
  if (ctx.config.GRASSROOTS_ADMIN_PASSWORD) return { created: true };
  const file = join(ctx.config.dataDir, 'initial-admin-password');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return { created: true, password, file };
}
