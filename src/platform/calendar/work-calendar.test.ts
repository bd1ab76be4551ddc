import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultYears } from './days.js';
import { localDate, WorkCalendar } from './work-calendar.js';

const calendar = new WorkCalendar(defaultYears.flatMap((y) => y.days));
/** A moment given in Beijing time. */
const bj = (local: string) => new Date(`${local}+08:00`);

describe('work calendar (Asia/Shanghai)', () => {
  it('knows the 2026 holidays and make-up working days', () => {
    expect(calendar.isWorkingDay(bj('2026-02-16T10:00'))).toBe(false); // 春节, a Monday
    expect(calendar.isWorkingDay(bj('2026-02-14T10:00'))).toBe(true); // Saturday worked
    expect(calendar.isWorkingDay(bj('2026-10-10T10:00'))).toBe(true); // Saturday worked
    expect(calendar.isWorkingDay(bj('2026-11-28T10:00'))).toBe(false); // an ordinary Saturday
    expect(calendar.isWorkingDay(bj('2026-11-25T10:00'))).toBe(true);
  });

  it('reads the local date, not the UTC one', () => {
    // 2026-10-08 01:00 in Beijing is still 10-07 in UTC (a holiday); locally it is a working Thursday.
    expect(localDate(bj('2026-10-08T01:00'))).toBe('2026-10-08');
    expect(calendar.isWorkingDay(bj('2026-10-08T01:00'))).toBe(true);
  });

  it('runs "within n working days" to the end of the n-th working day after the day itself', () => {
    // Accepted Wednesday 2026-11-25: three working days are Thu, Fri, Mon → due Monday 30th, 23:59:59.
    expect(calendar.addWorkingDays(bj('2026-11-25T16:00'), 3)).toEqual(bj('2026-11-30T23:59:59.999'));
    // Accepted on the eve of the National Day holiday: 10-08 and 10-09 are the first two working days.
    expect(calendar.addWorkingDays(bj('2026-09-30T09:00'), 2)).toEqual(bj('2026-10-09T23:59:59.999'));
    // Closed on Friday before 春节: the follow-up is due on the make-up Saturday 02-14.
    expect(calendar.nextWorkingDayEnd(bj('2026-02-13T18:00'))).toEqual(bj('2026-02-14T23:59:59.999'));
    expect(calendar.addWorkingDays(bj('2026-11-25T16:00'), 0)).toEqual(bj('2026-11-25T23:59:59.999'));
  });

  it('counts working days between two moments consistently with addWorkingDays', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2026-01-01T00:00:00Z'),
          max: new Date('2027-12-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 40 }),
        (from, n) => {
          const due = calendar.addWorkingDays(from, n);
          expect(calendar.workingDaysBetween(from, due)).toBe(n);
          if (n > 0) expect(calendar.isWorkingDay(due)).toBe(true);
          expect(due.getTime()).toBeGreaterThan(from.getTime());
        },
      ),
    );
  });

  it('ships whole, well-formed years', () => {
    for (const y of defaultYears) {
      const dates = y.days.map((d) => d.date);
      expect(new Set(dates).size).toBe(dates.length);
      expect(dates.every((d) => d.startsWith(String(y.year)))).toBe(true);
    }
    // 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 = 33 days off, 6 make-up working days.
    const y2026 = defaultYears.find((y) => y.year === 2026)!;
    expect(y2026.days.filter((d) => d.kind === 'holiday')).toHaveLength(33);
    expect(y2026.days.filter((d) => d.kind === 'workday')).toHaveLength(6);
  });
});
