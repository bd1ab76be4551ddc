import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addLocalMonths,
  lastLocalMonths,
  localDate,
  localDays,
  localMonth,
  localMonths,
  startOfLocalDay,
} from './local-time.js';

describe('Beijing-time boundaries', () => {
  it('starts a local day and month at 00:00 Beijing time, 16:00 UTC the day before', () => {
    expect(startOfLocalDay('2026-01-01').toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(localMonths('2026-01', '2026-12')).toEqual({
      from: new Date('2025-12-31T16:00:00Z'),
      to: new Date('2026-12-31T16:00:00Z'),
    });
    expect(localDays('2026-02-28', '2026-02-28').to.toISOString()).toBe('2026-02-28T16:00:00.000Z');
  });

  it('reads the local date and month, not the UTC ones', () => {
    expect(localDate(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12-01');
    expect(localMonth(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01');
  });

  it('takes the last twelve months to the end of the current Beijing month', () => {
    // 2027-01-01 00:30 in Beijing is still December in UTC: the current month is January.
    expect(lastLocalMonths(12, new Date('2026-12-31T16:30:00Z'))).toEqual({
      from: new Date('2026-01-31T16:00:00Z'),
      to: new Date('2027-01-31T16:00:00Z'),
    });
  });

  it('adds months across years in both directions', () => {
    expect(addLocalMonths('2026-12', 1)).toBe('2027-01');
    expect(addLocalMonths('2026-01', -1)).toBe('2025-12');
    fc.assert(
      fc.property(
        fc.integer({ min: 1990, max: 2090 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: -400, max: 400 }),
        (y, m, n) => {
          const month = `${y}-${String(m).padStart(2, '0')}`;
          expect(addLocalMonths(addLocalMonths(month, n), -n)).toBe(month);
          expect(localDate(startOfLocalDay(`${addLocalMonths(month, n)}-01`))).toBe(
            `${addLocalMonths(month, n)}-01`,
          );
        },
      ),
    );
  });
});
