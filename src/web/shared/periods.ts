import { lastLocalMonths, localDays, localMonths } from '../../platform/calendar/local-time.js';

/**
 * Date pickers give calendar days in the browser's own time zone; a period is made of Beijing days
 * (Asia/Shanghai) whatever that zone is, so only the picked date (`YYYY-MM-DD`) is read from them.
 */
interface Picked {
  format(template: string): string;
}
type Range = readonly (Picked | null | undefined)[] | null | undefined;

/** Whole Beijing days from the first picked day to the last, as `{ from, to }` instants ([from, to)). */
export function beijingDays(range: Range, opts: { inclusive?: boolean } = {}) {
  const [a, b] = range ?? [];
  if (!a || !b) return { from: undefined, to: undefined };
  const { from, to } = localDays(a.format('YYYY-MM-DD'), b.format('YYYY-MM-DD'));
  // An API that takes `to` inclusively gets the last millisecond of the last day.
  return { from: from.toISOString(), to: new Date(to.getTime() - (opts.inclusive ? 1 : 0)).toISOString() };
}

/** Whole Beijing months from the first picked month to the last ([from, to)). */
export function beijingMonths(range: Range) {
  const [a, b] = range ?? [];
  if (!a || !b) return lastMonths();
  const { from, to } = localMonths(a.format('YYYY-MM'), b.format('YYYY-MM'));
  return { from: from.toISOString(), to: to.toISOString() };
}

/** The last twelve whole Beijing months, the current one included. */
export function lastMonths(n = 12) {
  const { from, to } = lastLocalMonths(n);
  return { from: from.toISOString(), to: to.toISOString() };
}
