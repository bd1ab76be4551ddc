import type { CalendarDay } from './days.js';
import { addLocalDays, localDate, startOfLocalDay } from './local-time.js';

export { localDate };

const endOfLocalDay = (date: string) => new Date(startOfLocalDay(addLocalDays(date, 1)).getTime() - 1);
const nextDate = (date: string) => addLocalDays(date, 1);

/**
 * Working days in Asia/Shanghai: Monday to Friday, minus public holidays, plus make-up working
 * days. Pure and synchronous; the service keeps one instance per process and swaps it on edit.
 */
export class WorkCalendar {
  private readonly special: Map<string, CalendarDay['kind']>;

  constructor(days: Iterable<Pick<CalendarDay, 'date' | 'kind'>>) {
    this.special = new Map([...days].map((d) => [d.date, d.kind]));
  }

  isWorkingDate(date: string): boolean {
    const kind = this.special.get(date);
    if (kind) return kind === 'workday';
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  isWorkingDay(at: Date): boolean {
    return this.isWorkingDate(localDate(at));
  }

  /**
   * "Within n working days" (n 个工作日内): counting starts the day after `from`, and the time runs
   * to the end of the n-th working day, local time. n = 0 means the end of `from`'s own day.
   */
  addWorkingDays(from: Date, n: number): Date {
    let date = localDate(from);
    for (let left = n; left > 0; ) {
      date = nextDate(date);
      if (this.isWorkingDate(date)) left--;
    }
    return endOfLocalDay(date);
  }

  /** The end of the next working day (回访 is due the next working day after closing). */
  nextWorkingDayEnd(from: Date): Date {
    return this.addWorkingDays(from, 1);
  }

  /** Working days after `from`'s date up to and including `to`'s date (0 if `to` is not later). */
  workingDaysBetween(from: Date, to: Date): number {
    let count = 0;
    const last = localDate(to);
    for (let date = nextDate(localDate(from)); date <= last; date = nextDate(date))
      if (this.isWorkingDate(date)) count++;
    return count;
  }
}
