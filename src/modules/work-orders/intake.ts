import type { AppContext, Caller } from '../../platform/context.js';
import { uniqueViolation } from '../../platform/db/errors.js';
import { AppError, invalid } from '../../platform/errors.js';
import { attachFiles } from '../../platform/files/service.js';
import { newId } from '../../platform/ids.js';
import { gridIndexFor } from '../org/locate.js';
import { type IntakeRow, intakeWriter, writeIntakes } from './intake-writer.js';
import { checkAnswers } from './questions.js';
import {
  byKey,
  type Channel,
  categoryById,
  dueFor,
  keyConflict,
  serialise,
  type Urgency,
} from './service.js';
import { titleFromDescription } from './titles.js';
import { initialState, type WorkOrderEvent } from './workflow.js';

export interface Intake {
  channel: Channel;
  categoryId: string;
  title?: string;
  description: string;
  lng?: number;
  lat?: number;
  address?: string;
  /** Staff filing for a place they name (代录); residents' reports are placed by their location. */
  placeId?: string;
  urgency?: Urgency;
  /** 代录: the caller or visitor the report is for. */
  reporterName?: string;
  reporterPhone?: string;
  anonymous?: boolean;
  photoIds?: string[];
  externalNo?: string;
  createdAt?: Date;
  /** Photos received with the report, stored in the order's transaction (a refused report keeps none). */
  newPhotos?: NewPhoto[];
  /** Answers to the category's questions, by question code; checked here. */
  answers?: Record<string, unknown>;
}

export interface NewPhoto {
  bytes: Buffer;
  name?: string;
  mime?: string;
}

/** Rolls the photos' transaction back when the order was not written (replayed key, unusable place). */
class NotWritten extends Error {}

/**
 * Where a report belongs: the grid holding its point, else the place named (a building, grid,
 * community, street or district), else the reporter's home unit.
 */
async function placeOf(ctx: AppContext, caller: Caller, input: Intake) {
  if (input.lng !== undefined && input.lat !== undefined) {
    const hit = await gridIndexFor(ctx.db).locate(input.lng, input.lat);
    if (hit) return { id: hit.id, named: false };
  }
  if (input.placeId) return { id: input.placeId, named: true };
  const home = caller.user?.assignments.find(
    (a) => a.orgUnitId && ['resident', 'partyMember', 'volunteer'].includes(a.role),
  );
  if (home?.orgUnitId) return { id: home.orgUnitId, named: false };
  throw invalid('lng', '位置不在任何网格内：请在地图上选点，或选择所在社区');
}

/** The day a work order is numbered by, in Beijing time. */
const dayOf = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * Files a work order. With an Idempotency-Key, a retry (even a concurrent one) returns the work
 * order the first request made and creates nothing new.
 *
 * Intakes without photos go through the intake writer, which writes whatever arrives together in
 * one statement (see IntakeWriter): intake is the busiest write of the system, and each round
 * trip to the database costs more than the work itself. With photos, the order and the photos'
 * attachment share a transaction, so a bad photo leaves no order.
 */
export async function intake(ctx: AppContext, caller: Caller, input: Intake, key?: string) {
  const me = caller.user!;
  const category = await categoryById(ctx, input.categoryId);
  if (!category || !category.active) throw invalid('categoryId', '请选择诉求类别');
  if (category.staffOnly && me.kind !== 'staff') throw invalid('categoryId', '该类别仅限工作人员使用');
  if (category.parentCode === null) throw invalid('categoryId', '请选择具体的诉求类别');
  const checked = checkAnswers(category.questions ?? [], input.answers ?? {});
  if (checked.problems.length)
    throw new AppError(
      'VALIDATION',
      400,
      'error.VALIDATION',
      undefined,
      checked.problems.map((p) => ({ path: `answers.${p.code}`, message: p.message })),
    );
  const place = await placeOf(ctx, caller, input);
  const at = input.createdAt ?? new Date();
  const urgency = input.urgency ?? 'normal';
  const due = dueFor(ctx, category, urgency, at);
  const state = initialState({ type: 'created', at, actorId: me.id, dueAt: due } satisfies WorkOrderEvent);
  const forSomeoneElse = me.kind === 'staff' && Boolean(input.reporterName || input.reporterPhone);
  const description = input.description.trim();
  const row: IntakeRow = {
    id: newId(),
    eventId: newId(),
    key: key ?? null,
    userId: me.id,
    actorName: me.displayName,
    placeId: place.id,
    named: place.named,
    day: dayOf(at),
    channel: input.channel,
    categoryId: category.id,
    title: input.title?.trim() || titleFromDescription(category.name, description),
    description,
    lng: input.lng ?? null,
    lat: input.lat ?? null,
    address: input.address ?? null,
    reporterUserId: forSomeoneElse || input.anonymous ? null : me.id,
    reporterName: forSomeoneElse ? (input.reporterName ?? null) : input.anonymous ? null : me.displayName,
    phoneEnc: input.reporterPhone ? ctx.pii.encrypt(input.reporterPhone) : null,
    phoneHash: input.reporterPhone ? ctx.pii.blindIndex(input.reporterPhone) : null,
    anonymous: input.anonymous ?? false,
    urgency,
    externalNo: input.externalNo ?? null,
    answers: Object.keys(checked.answers).length ? checked.answers : null,
    status: state.status,
    dueAt: due,
    state: serialise(state),
    createdAt: at,
    eventData: { channel: input.channel, photoIds: input.photoIds ?? [] },
  };
  const photoIds = input.photoIds ?? [];
  const newPhotos = input.newPhotos ?? [];
  let made: { id: string } | null = null;
  try {
    made =
      photoIds.length || newPhotos.length
        ? await ctx.db.transaction(async (tx) => {
            const saved: string[] = [];
            for (const p of newPhotos) {
              const f = await ctx.files.save(tx, p.bytes, {
                name: p.name,
                claimedMime: p.mime,
                createdBy: me.id,
              });
              if (!f.mime.startsWith('image/'))
                throw new AppError('UNSUPPORTED_MEDIA', 415, 'error.FILE_TYPE_NOT_ALLOWED');
              saved.push(f.id);
            }
            if (saved.length) row.eventData = { channel: input.channel, photoIds: [...photoIds, ...saved] };
            const [written] = await writeIntakes(tx, [row]);
            if (!written) throw new NotWritten();
            await attachFiles(tx, caller, [...photoIds, ...saved], {
              ownerType: 'workOrder',
              ownerId: written.id,
              orgPath: written.path,
            });
            return written;
          })
        : await intakeWriter(ctx).write(row);
  } catch (err) {
    // The photos' rows rolled back with the order; their bytes on disk go too.
    if (newPhotos.length)
      await ctx.files.discardUnreferenced(
        ctx.db,
        newPhotos.map((p) => p.bytes),
      );
    // A number already taken means the day's counter was behind: say so for this intake alone.
    if (uniqueViolation(err, 'work_order_number_key'))
      throw new AppError('CONFLICT', 409, 'error.WORK_ORDER_NUMBER_TAKEN', { day: row.day });
    if (!(err instanceof NotWritten) && !(key && keyConflict(err))) throw err;
  }
  if (made) return { id: made.id, replayed: false };
  const existing = key ? await byKey(ctx.db, me.id, key) : undefined;
  if (existing) return { id: existing.id, replayed: true };
  throw invalid('placeId', '请选择诉求所在的社区或网格');
}
