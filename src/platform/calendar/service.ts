import { asc, eq } from 'drizzle-orm';
import { audit } from '../audit/service.js';
import type { AppContext, Caller } from '../context.js';
import type { Executor } from '../db/index.js';
import { invalid, notFound } from '../errors.js';
import { type CalendarDay, type CalendarYear, defaultYears } from './days.js';
import { calendarDay, calendarYear } from './schema.js';
import { WorkCalendar } from './work-calendar.js';

/** Years shipped with the code are added once; an edited year is never overwritten. */
export async function ensureDefaultCalendar(ex: Executor) {
  for (const y of defaultYears) {
    const inserted = await ex
      .insert(calendarYear)
      .values({ year: y.year, source: y.source, provisional: y.provisional })
      .onConflictDoNothing()
      .returning();
    if (inserted.length) await ex.insert(calendarDay).values(y.days.map((d) => ({ ...d, year: y.year })));
  }
}

export async function loadCalendar(ex: Executor): Promise<WorkCalendar> {
  return new WorkCalendar(
    (await ex.select({ date: calendarDay.date, kind: calendarDay.kind }).from(calendarDay)) as CalendarDay[],
  );
}

export async function getCalendarYear(ex: Executor, year: number): Promise<CalendarYear> {
  const [y] = await ex.select().from(calendarYear).where(eq(calendarYear.year, year));
  if (!y) throw notFound();
  const days = await ex
    .select({ date: calendarDay.date, kind: calendarDay.kind, name: calendarDay.name })
    .from(calendarDay)
    .where(eq(calendarDay.year, year))
    .orderBy(asc(calendarDay.date));
  return { year, source: y.source, provisional: y.provisional, days: days as CalendarDay[] };
}

/** Replaces a year's holidays and make-up days (e.g. when the State Council publishes them). */
export async function replaceCalendarYear(ctx: AppContext, caller: Caller, input: CalendarYear) {
  const seen = new Set<string>();
  input.days.forEach((d, i) => {
    if (!d.date.startsWith(`${input.year}-`)) throw invalid(`days.${i}.date`, `日期不在 ${input.year} 年内`);
    if (seen.has(d.date)) throw invalid(`days.${i}.date`, '同一日期只能出现一次');
    seen.add(d.date);
  });
  await ctx.db.transaction(async (tx) => {
    const values = { source: input.source, provisional: input.provisional, updatedBy: caller.user!.id };
    await tx
      .insert(calendarYear)
      .values({ year: input.year, ...values })
      .onConflictDoUpdate({ target: calendarYear.year, set: { ...values, updatedAt: new Date() } });
    await tx.delete(calendarDay).where(eq(calendarDay.year, input.year));
    if (input.days.length)
      await tx.insert(calendarDay).values(input.days.map((d) => ({ ...d, year: input.year })));
    const off = input.days.filter((d) => d.kind === 'holiday').length;
    await audit(tx, caller, {
      action: 'calendar.updated',
      targetType: 'calendarYear',
      summary: `更新 ${input.year} 年工作日历：${off} 天假日，${input.days.length - off} 天调休上班`,
    });
  });
  ctx.calendar = await loadCalendar(ctx.db);
  return getCalendarYear(ctx.db, input.year);
}
