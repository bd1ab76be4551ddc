import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, grantsFor, scopeFilter } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { invalid, notFound } from '../../platform/errors.js';
import { user } from '../accounts/schema.js';
import { createUser } from '../accounts/service.js';
import { forgetSessions } from '../accounts/sessions.js';
import { orgUnit } from '../org/schema.js';
import { findOrgUnit } from '../org/units.js';
import { Open311Error } from './params.js';
import { open311Key } from './schema.js';

/**
 * Open311 API keys: issued and revoked by admins in the console, checked on every POST. Only the
 * SHA-256 of a key is kept; each key files its reports as a system user of its own.
 */
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

// ---------------------------------------------------------------- keys

export type KeyRow = typeof open311Key.$inferSelect;

/** A key with its own system user; returns the key itself, which is never stored nor shown again. */
export async function createKey(
  ctx: AppContext,
  caller: Caller | null,
  input: { name: string; orgUnitId?: string | null },
) {
  const name = input.name.trim();
  if (!name) throw invalid('name', '请填写密钥名称（使用方）');
  let unit: Awaited<ReturnType<typeof findOrgUnit>> | null = null;
  const orgUnitId =
    input.orgUnitId ??
    (caller?.user ? (grantsFor(caller.user, 'open311.manage')[0]?.orgUnitId ?? null) : null);
  if (orgUnitId) {
    unit = await findOrgUnit(ctx.db, orgUnitId);
    if (!unit) throw invalid('orgUnitId', '单位不存在');
  }
  if (caller?.user) authorize(caller.user, 'open311.manage', unit?.path ?? null, { outside: 'forbidden' });
  const key = `o311_${randomBytes(24).toString('base64url')}`;
  const keyPrefix = key.slice(0, 9);
  const row = await ctx.db.transaction(async (tx) => {
    const system = await createUser(
      tx,
      {
        username: `open311-${keyPrefix.slice(5)}-${randomBytes(3).toString('hex')}`,
        displayName: `Open311：${name}`,
        password: randomBytes(24).toString('base64url'),
        kind: 'staff',
        createdBy: caller?.user?.id ?? null,
      },
      { skipPolicy: true },
    );
    // Files work orders only through its key: it can never sign in.
    await tx.update(user).set({ status: 'disabled' }).where(eq(user.id, system.id));
    forgetSessions();
    const [k] = await tx
      .insert(open311Key)
      .values({
        name,
        keyHash: sha256(key),
        keyPrefix,
        userId: system.id,
        orgUnitId: unit?.id ?? null,
        createdBy: caller?.user?.id ?? null,
      })
      .returning();
    if (caller)
      await audit(tx, caller, {
        action: 'open311.keyCreated',
        targetType: 'open311Key',
        targetId: k.id,
        orgPath: unit?.path ?? null,
        summary: `发放 Open311 接口密钥「${name}」`,
      });
    return k;
  });
  return { ...(await describeKey(ctx.db, row)), key };
}

async function describeKey(ex: Executor, k: KeyRow) {
  const [unit] = k.orgUnitId
    ? await ex.select({ name: orgUnit.name }).from(orgUnit).where(eq(orgUnit.id, k.orgUnitId))
    : [];
  const [creator] = k.createdBy
    ? await ex.select({ name: user.displayName }).from(user).where(eq(user.id, k.createdBy))
    : [];
  return {
    id: k.id,
    name: k.name,
    keyPrefix: k.keyPrefix,
    orgUnitId: k.orgUnitId,
    orgUnitName: unit?.name ?? null,
    createdByName: creator?.name ?? null,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
  };
}

/** Keys of units in the caller's reach (keys for the whole system: whole-system admins only). */
export async function listKeys(ctx: AppContext, caller: Caller) {
  const rows = await ctx.db
    .select({ k: open311Key })
    .from(open311Key)
    .leftJoin(orgUnit, eq(orgUnit.id, open311Key.orgUnitId))
    .where(
      grantsFor(caller.user!, 'open311.manage').some((g) => g.orgPath === null)
        ? undefined
        : and(isNotNull(open311Key.orgUnitId), scopeFilter(caller.user, 'open311.manage', orgUnit.path)),
    )
    .orderBy(desc(open311Key.createdAt));
  return Promise.all(rows.map((r) => describeKey(ctx.db, r.k)));
}

export async function revokeKey(ctx: AppContext, caller: Caller, id: string) {
  return ctx.db.transaction(async (tx) => {
    const [k] = await tx.select().from(open311Key).where(eq(open311Key.id, id));
    if (!k) throw notFound();
    const unit = k.orgUnitId ? await findOrgUnit(tx, k.orgUnitId) : null;
    authorize(caller.user, 'open311.manage', unit?.path ?? null);
    const [row] = await tx
      .update(open311Key)
      .set({ revokedAt: k.revokedAt ?? new Date() })
      .where(eq(open311Key.id, id))
      .returning();
    if (!k.revokedAt)
      await audit(tx, caller, {
        action: 'open311.keyRevoked',
        targetType: 'open311Key',
        targetId: k.id,
        orgPath: unit?.path ?? null,
        summary: `吊销 Open311 接口密钥「${k.name}」`,
      });
    return describeKey(tx, row);
  });
}

/** The key and the caller its requests are filed as; 403 for a missing, unknown or revoked key. */
export async function keyCaller(ctx: AppContext, apiKey: unknown): Promise<{ key: KeyRow; caller: Caller }> {
  if (typeof apiKey !== 'string' || !apiKey) throw new Open311Error(403, 'api_key 缺失 (api_key required)');
  const [key] = await ctx.db
    .select()
    .from(open311Key)
    .where(and(eq(open311Key.keyHash, sha256(apiKey.trim())), isNull(open311Key.revokedAt)));
  if (!key) throw new Open311Error(403, 'api_key 无效或已吊销 (invalid api_key)');
  const [u] = await ctx.db.select().from(user).where(eq(user.id, key.userId));
  return {
    key,
    caller: {
      ip: null,
      requestId: null,
      locale: 'zh-CN',
      user: {
        id: u.id,
        username: u.username,
        displayName: u.displayName,
        kind: 'staff',
        assignments: [],
        actingAssignmentId: null,
        sessionId: '',
      },
    },
  };
}

/** Records that a key filed a request: only once the request is accepted (a refused one writes nothing). */
export async function markKeyUsed(ex: Executor, keyId: string) {
  await ex.update(open311Key).set({ lastUsedAt: new Date() }).where(eq(open311Key.id, keyId));
}
