/**
 * Beijing time (Asia/Shanghai) for every day, month and period boundary, on the server and in the
 * browser alike. China has one time zone and no daylight saving, so a local wall clock is UTC+8 and
 * this needs no time-zone database. Pure, no imports: the web app uses it too, so a boundary never
 * depends on the time zone of the machine or browser that computes it.
 */
export const timeZone = 'Asia/Shanghai';
const offsetMs = 8 * 3600_000;
const dayMs = 24 * 3600_000;

/** The local date of an instant, `YYYY-MM-DD`. */
export const localDate = (at: Date): string => new Date(at.getTime() + offsetMs).toISOString().slice(0, 10);

/** The local month of an instant, `YYYY-MM`. */
export const localMonth = (at: Date): string => localDate(at).slice(0, 7);

/** The instant a local date (`YYYY-MM-DD`) begins: 00:00 Beijing time. */
export const startOfLocalDay = (date: string): Date => new Date(Date.parse(`${date}T00:00:00Z`) - offsetMs);

/** The date `n` days after a local date. */
export const addLocalDays = (date: string, n: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * dayMs).toISOString().slice(0, 10);

/** The month `n` months after a local month (`YYYY-MM`). */
export function addLocalMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The instant a local month (`YYYY-MM`) begins: the 1st, 00:00 Beijing time. */
export const startOfLocalMonth = (month: string): Date => startOfLocalDay(`${month}-01`);

/** The whole local days from `first` to `last` (both `YYYY-MM-DD`, inclusive) as an instant range [from, to). */
export const localDays = (first: string, last: string) => ({
  from: startOfLocalDay(first),
  to: startOfLocalDay(addLocalDays(last, 1)),
});

/** The whole local months from `first` to `last` (both `YYYY-MM`, inclusive) as an instant range [from, to). */
export const localMonths = (first: string, last: string) => ({
  from: startOfLocalMonth(first),
  to: startOfLocalMonth(addLocalMonths(last, 1)),
});

/** The last `n` whole local months up to and including the current one. */
export function lastLocalMonths(n: number, now = new Date()) {
  const current = localMonth(now);
  return localMonths(addLocalMonths(current, 1 - n), current);
}
