import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize, pathWithin } from '../../platform/auth/authorize.js';
import type { AppContext, Caller } from '../../platform/context.js';
import type { PiiCipher } from '../../platform/crypto.js';
import type { Executor } from '../../platform/db/index.js';
import { AppError, type FieldError, invalid, notFound } from '../../platform/errors.js';
import { unitLabels } from '../org/units.js';
import type {
  DocumentType,
  Education,
  Gender,
  LifeEventKind,
  PoliticalStatus,
  ResidenceStatus,
  ResidentTag,
} from './codes.js';
import { describeResident, nameInitials, type ResidentRow } from './describe.js';
import { gridUnit, loadHouse } from './houses.js';
import { closeMembership, joinHousehold, membershipOf } from './membership.js';
import { house, resident, residentEvent } from './schema.js';
import { requestTransfer } from './transfers.js';
import { checkIdentity, normalizePhone, shanghaiToday } from './validators.js';

export interface ResidentInput {
  name: string;
  documentType?: DocumentType;
  idNumber: string;
  birthDate?: string | null;
  gender?: Gender | null;
  ethnicity: string;
  phone?: string | null;
  residenceStatus: ResidenceStatus;
  politicalStatus?: PoliticalStatus;
  education?: Education | null;
  employment?: string | null;
  employer?: string | null;
  healthNotes?: string | null;
  tags?: ResidentTag[];
  gridId?: string | null;
  houseId?: string | null;
  household?: { householdId: string; relation: string } | null;
}

const fieldsError = (fields: FieldError[]) =>
  new AppError('VALIDATION', 400, 'error.VALIDATION', undefined, fields);

/** Identity and phone checked, encrypted and indexed: the columns a resident row stores for them. */
export function protectedColumns(pii: PiiCipher, input: ResidentInput, today = shanghaiToday()) {
  const identity = checkIdentity(
    {
      documentType: input.documentType ?? 'idCard',
      idNumber: input.idNumber,
      birthDate: input.birthDate,
      gender: input.gender,
    },
    today,
  );
  const errors = Array.isArray(identity) ? [...identity] : [];
  let phone: string | null = null;
  if (input.phone) {
    const p = normalizePhone(input.phone);
    if (typeof p === 'string') phone = p;
    else errors.push({ path: 'phone', message: p.problem });
  }
  if (errors.length || Array.isArray(identity)) return { errors };
  return {
    errors,
    columns: {
      documentType: identity.documentType,
      birthDate: identity.birthDate,
      gender: identity.gender,
      idNumberCipher: pii.encrypt(identity.idNumber),
      idNumberIndex: pii.blindIndex(identity.idNumber),
      phoneCipher: phone ? pii.encrypt(phone) : null,
      phoneIndex: phone ? pii.blindIndex(phone) : null,
    },
  };
}

/** The place a resident lives: a house (its scope) or, without one, a grid. Checks the caller may write there. */
export async function residentPlace(
  ex: Executor,
  caller: Caller,
  houseId?: string | null,
  gridId?: string | null,
) {
  if (houseId) {
    const h = await loadHouse(ex, caller, houseId, 'resident.write', 'forbidden').catch((err) => {
      if (err instanceof AppError && err.status === 404) throw invalid('houseId', '房屋不存在');
      throw err;
    });
    return { gridId: h.gridId, houseId: h.id, orgPath: h.orgPath, districtCode: h.districtCode };
  }
  if (!gridId) throw invalid('houseId', '请选择房屋或网格');
  const g = await gridUnit(ex, gridId);
  authorize(caller.user, 'resident.write', g.path, { outside: 'forbidden' });
  return { gridId: g.id, houseId: null, orgPath: g.path, districtCode: g.districtCode };
}

/**
 * One person, one record: the live resident with this ID number (any document type), or null.
 * With `withinPath`, only inside that subtree. Returns no personal data beyond the name. The
 * accounts approval calls this to link a registration to the register.
 */
export async function findResidentByIdNumber(
  ex: Executor,
  ctx: { pii: PiiCipher },
  idNumber: string,
  withinPath?: string | null,
) {
  const [row] = await ex
    .select({
      id: resident.id,
      name: resident.name,
      status: resident.status,
      gridId: resident.gridId,
      houseId: resident.houseId,
      orgPath: resident.orgPath,
    })
    .from(resident)
    .where(
      and(
        eq(resident.idNumberIndex, ctx.pii.blindIndex(idNumber.replace(/\s/g, ''))),
        isNull(resident.deletedAt),
      ),
    );
  if (!row || (withinPath && !pathWithin(row.orgPath, withinPath))) return null;
  return row;
}

/**
 * One person, one record. A record the caller may see is named (409 with its id); one outside
 * their reach is returned, not named, for a 迁入申请 (a create) — or refused without saying where.
 */
async function duplicateOf(ex: Executor, caller: Caller, idNumberIndex: string, exceptId?: string) {
  const [dup] = await ex
    .select({ id: resident.id, orgPath: resident.orgPath })
    .from(resident)
    .where(and(eq(resident.idNumberIndex, idNumberIndex), isNull(resident.deletedAt)));
  if (!dup || dup.id === exceptId) return null;
  let visible = true;
  try {
    authorize(caller.user, 'resident.read', dup.orgPath);
  } catch {
    visible = false;
  }
  if (!visible) return dup;
  throw new AppError('CONFLICT', 409, 'people.duplicateResident', { id: dup.id }, [
    { path: 'idNumber', message: `该证件号码已登记（居民 ${dup.id}）` },
  ]);
}

async function refuseDuplicate(ex: Executor, caller: Caller, idNumberIndex: string, exceptId?: string) {
  if (await duplicateOf(ex, caller, idNumberIndex, exceptId))
    throw new AppError('CONFLICT', 409, 'people.duplicateResident', { id: '' }, [
      { path: 'idNumber', message: '该证件号码已登记，一人只登记一次' },
    ]);
}

export type CreateOutcome =
  | { kind: 'created'; resident: Awaited<ReturnType<typeof getResident>> }
  | { kind: 'transferRequested'; transferRequestId: string };

/**
 * Registers a person. When their ID number is registered outside the caller's reach, nothing is
 * created here: a 迁入申请 goes to the holding community instead, and the answer says only that.
 */
export async function createResident(
  ctx: AppContext,
  caller: Caller,
  input: ResidentInput,
): Promise<CreateOutcome> {
  const protectedCols = protectedColumns(ctx.pii, input);
  if (!protectedCols.columns) throw fieldsError(protectedCols.errors);
  const done = await ctx.db.transaction(
    async (tx): Promise<{ id: string } | { transferRequestId: string }> => {
      const place = await residentPlace(tx, caller, input.houseId, input.gridId);
      const held = await duplicateOf(tx, caller, protectedCols.columns.idNumberIndex);
      if (held) return { transferRequestId: await requestTransfer(tx, caller, held.id, place, input) };
      const [row] = await tx
        .insert(resident)
        .values({
          ...plainColumns(input),
          ...protectedCols.columns,
          ethnicity: input.ethnicity,
          residenceStatus: input.residenceStatus,
          name: input.name,
          nameInitials: nameInitials(input.name),
          ...place,
        })
        .returning();
      if (input.household) {
        await joinHousehold(
          tx,
          caller,
          input.household.householdId,
          row.id,
          input.household.relation,
          'household.householdId',
        );
      }
      await audit(tx, caller, {
        action: 'resident.created',
        targetType: 'resident',
        targetId: row.id,
        orgPath: row.orgPath,
        summary: `登记居民 ${row.name}`,
      });
      return { id: row.id };
    },
  );
  if ('transferRequestId' in done)
    return { kind: 'transferRequested', transferRequestId: done.transferRequestId };
  return { kind: 'created', resident: await getResident(ctx, caller, done.id) };
}

function plainColumns(input: Partial<ResidentInput>) {
  const out: Partial<typeof resident.$inferInsert> = {};
  for (const key of [
    'ethnicity',
    'residenceStatus',
    'politicalStatus',
    'education',
    'employment',
    'employer',
    'healthNotes',
    'tags',
  ] as const) {
    if (input[key] !== undefined) (out as Record<string, unknown>)[key] = input[key];
  }
  if (input.tags) out.tags = [...new Set(input.tags)];
  return out;
}

/** A live resident the caller may act on; 404 when it does not exist or lies outside their subtree. */
export async function loadResident(
  ex: Executor,
  caller: Caller,
  id: string,
  action: 'resident.read' | 'resident.write' | 'resident.readPII' = 'resident.read',
): Promise<ResidentRow> {
  const [row] = await ex
    .select()
    .from(resident)
    .where(and(eq(resident.id, id), isNull(resident.deletedAt)));
  if (!row) throw notFound();
  authorize(caller.user, action, row.orgPath);
  return row;
}

export async function getResident(ctx: AppContext, caller: Caller, id: string, ex: Executor = ctx.db) {
  const row = await loadResident(ex, caller, id);
  const m = await membershipOf(ex, row.id);
  const [h] = row.houseId
    ? await ex.select({ address: house.address }).from(house).where(eq(house.id, row.houseId))
    : [];
  const events = await ex
    .select({
      id: residentEvent.id,
      kind: residentEvent.kind,
      occurredOn: residentEvent.occurredOn,
      note: residentEvent.note,
    })
    .from(residentEvent)
    .where(eq(residentEvent.residentId, id))
    .orderBy(asc(residentEvent.occurredOn), asc(residentEvent.createdAt));
  return {
    ...describeResident(ctx.pii, row, {
      householdId: m?.householdId ?? null,
      relation: m?.relation ?? null,
      address: h?.address,
      gridName: (await unitLabels(ex, [row.gridId])).get(row.gridId) ?? null,
    }),
    events: events.map((e) => ({ ...e, kind: e.kind as LifeEventKind })),
  };
}

export async function updateResident(
  ctx: AppContext,
  caller: Caller,
  id: string,
  input: Partial<ResidentInput>,
) {
  await ctx.db.transaction(async (tx) => {
    const row = await loadResident(tx, caller, id, 'resident.write');
    // updated_at always, so a body with no field is never an empty SET.
    const changes: Partial<typeof resident.$inferInsert> = { ...plainColumns(input), updatedAt: new Date() };
    if (input.name) Object.assign(changes, { name: input.name, nameInitials: nameInitials(input.name) });
    const identityTouched = ['documentType', 'idNumber', 'birthDate', 'gender'].some((k) => k in input);
    if (identityTouched || input.phone !== undefined) {
      const current = {
        documentType: row.documentType as DocumentType,
        idNumber: ctx.pii.decrypt(row.idNumberCipher),
        birthDate: row.birthDate,
        gender: row.gender as Gender,
        phone: row.phoneCipher ? ctx.pii.decrypt(row.phoneCipher) : null,
      };
      const merged = { ...current, ...input } as ResidentInput;
      // A new ID number brings its own birth date and gender unless they are given too.
      if (input.idNumber && !('birthDate' in input)) merged.birthDate = null;
      if (input.idNumber && !('gender' in input)) merged.gender = null;
      const p = protectedColumns(ctx.pii, merged);
      if (!p.columns) throw fieldsError(p.errors);
      if (p.columns.idNumberIndex !== row.idNumberIndex)
        await refuseDuplicate(tx, caller, p.columns.idNumberIndex, id);
      Object.assign(changes, p.columns);
    }
    if (input.houseId !== undefined || input.gridId !== undefined) {
      const place = await residentPlace(tx, caller, input.houseId ?? null, input.gridId ?? row.gridId);
      Object.assign(changes, place);
    }
    await tx.update(resident).set(changes).where(eq(resident.id, id));
    await audit(tx, caller, {
      action: 'resident.updated',
      targetType: 'resident',
      targetId: id,
      orgPath: changes.orgPath ?? row.orgPath,
      summary: `修改居民 ${changes.name ?? row.name} 的信息`,
      details: { fields: Object.keys(input) },
    });
  });
  return getResident(ctx, caller, id);
}

export interface LifeEventInput {
  kind: LifeEventKind;
  date: string;
  houseId?: string | null;
  gridId?: string | null;
  note?: string | null;
}

/** Move in, move out, death: a departed or deceased person leaves the active lists and their household. */
export async function recordLifeEvent(ctx: AppContext, caller: Caller, id: string, input: LifeEventInput) {
  await ctx.db.transaction(async (tx) => {
    const row = await loadResident(tx, caller, id, 'resident.write');
    if (input.date > shanghaiToday()) throw invalid('date', '日期不能晚于今天');
    if (input.date < row.birthDate) throw invalid('date', '日期不能早于出生日期');
    if (row.status === 'deceased') throw invalid('kind', '该居民已登记死亡，不能再登记其他事件');
    const changes: Partial<typeof resident.$inferInsert> = {};
    if (input.kind === 'moveIn') {
      if (row.status === 'active' && !input.houseId && !input.gridId)
        throw invalid('houseId', '请选择迁入的房屋');
      Object.assign(changes, { status: 'active' });
      if (input.houseId || input.gridId)
        Object.assign(changes, await residentPlace(tx, caller, input.houseId, input.gridId));
    } else {
      if (row.status !== 'active') throw invalid('kind', '该居民已迁出');
      changes.status = input.kind === 'death' ? 'deceased' : 'movedOut';
      await closeMembership(tx, id, input.date);
    }
    await tx.update(resident).set(changes).where(eq(resident.id, id));
    await tx.insert(residentEvent).values({
      residentId: id,
      kind: input.kind,
      occurredOn: input.date,
      houseId: changes.houseId ?? row.houseId,
      note: input.note ?? null,
      createdBy: caller.user?.id ?? null,
    });
    await audit(tx, caller, {
      action: `resident.${input.kind}`,
      targetType: 'resident',
      targetId: id,
      orgPath: row.orgPath,
      summary: `登记 ${row.name} ${{ moveIn: '迁入', moveOut: '迁出', death: '死亡' }[input.kind]}（${input.date}）`,
    });
  });
  return getResident(ctx, caller, id);
}

/** Removes a record entered by mistake (soft delete; the ID number may then be registered again). */
export async function deleteResident(ctx: AppContext, caller: Caller, id: string) {
  await ctx.db.transaction(async (tx) => {
    const row = await loadResident(tx, caller, id, 'resident.write');
    await closeMembership(tx, id, shanghaiToday());
    await tx.update(resident).set({ deletedAt: sql`now()` }).where(eq(resident.id, id));
    await audit(tx, caller, {
      action: 'resident.deleted',
      targetType: 'resident',
      targetId: id,
      orgPath: row.orgPath,
      summary: `删除误登记的居民 ${row.name}`,
    });
  });
}

/** "Show full": the unmasked ID number and phone, for a stated reason, audited (never the values themselves). */
export async function revealResident(ctx: AppContext, caller: Caller, id: string, reason: string) {
  return ctx.db.transaction(async (tx) => {
    const row = await loadResident(tx, caller, id, 'resident.readPII');
    await audit(tx, caller, {
      action: 'resident.revealed',
      targetType: 'resident',
      targetId: id,
      orgPath: row.orgPath,
      summary: `查看 ${row.name} 的完整证件号码和手机号`,
      details: { reason },
    });
    return {
      idNumber: ctx.pii.decrypt(row.idNumberCipher),
      phone: row.phoneCipher ? ctx.pii.decrypt(row.phoneCipher) : null,
    };
  });
}
