import { eq } from 'drizzle-orm';
import { audit } from '../../platform/audit/service.js';
import { authorize } from '../../platform/auth/authorize.js';
import { localDate } from '../../platform/calendar/work-calendar.js';
import type { AppContext, Caller } from '../../platform/context.js';
import type { Executor } from '../../platform/db/index.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { mutualReview, partyCheckIn } from './check-in-schema.js';
import type { CheckInRow } from './check-ins.js';
import { confirmedCheckIn } from './check-ins.js';

/** 优秀 / 称职 / 基本称职 / 不称职 */
export const reviewRatings = ['excellent', 'good', 'fair', 'poor'] as const;
export type ReviewRating = (typeof reviewRatings)[number];

export interface ReviewInput {
  year: number;
  rating: ReviewRating;
  comment?: string | null;
}

/** A year can be reviewed from the year the check-in was confirmed up to the current one, once per side. */
async function writeReview(
  ex: Executor,
  caller: Caller,
  checkIn: CheckInRow,
  reviewer: 'community' | 'member',
  input: ReviewInput,
) {
  const thisYear = Number(localDate(new Date()).slice(0, 4));
  const since = checkIn.decidedAt ? Number(localDate(checkIn.decidedAt).slice(0, 4)) : thisYear;
  if (input.year > thisYear || input.year < since)
    throw invalid('year', `评价年度应在 ${since} 至 ${thisYear} 年之间`);
  const [row] = await ex
    .insert(mutualReview)
    .values({
      checkInId: checkIn.id,
      year: input.year,
      reviewer,
      rating: input.rating,
      comment: input.comment ?? null,
      reviewedBy: caller.user!.id,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict('error.REVIEW_EXISTS', { year: input.year });
  await audit(ex, caller, {
    action: reviewer === 'community' ? 'party.review.ofMember' : 'party.review.ofCommunity',
    targetType: 'partyCheckIn',
    targetId: checkIn.id,
    orgPath: checkIn.orgPath,
    summary: `${input.year} 年度双向评价（${reviewer === 'community' ? '社区评党员' : '党员评社区'}）`,
  });
  return row;
}

/** 双向评价, the community's side: it rates a checked-in member for the year, for the workplace to see. */
export async function reviewMember(ctx: AppContext, caller: Caller, checkInId: string, input: ReviewInput) {
  return ctx.db.transaction(async (tx) => {
    const [c] = await tx.select().from(partyCheckIn).where(eq(partyCheckIn.id, checkInId));
    if (!c) throw notFound();
    authorize(caller.user, 'party.checkIn', c.orgPath);
    if (c.status !== 'confirmed' || c.kind !== 'member') throw conflict('error.CHECK_IN_NOT_CONFIRMED');
    return writeReview(tx, caller, c, 'community', input);
  });
}

/** 双向评价, the member's side: they rate the community they serve in. */
export async function reviewCommunity(ctx: AppContext, caller: Caller, input: ReviewInput) {
  return ctx.db.transaction(async (tx) => {
    const { checkIn } = await confirmedCheckIn(tx, caller);
    return writeReview(tx, caller, checkIn, 'member', input);
  });
}
