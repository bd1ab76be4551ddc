import { describe, expect, it } from 'vitest';
import { quarterMonths, quarterOf, rank, withinCap } from './rules.js';

describe('party rules', () => {
  it('maps months to quarters and back', () => {
    expect(quarterOf('2026-01')).toBe('2026Q1');
    expect(quarterOf('2026-03-01')).toBe('2026Q1');
    expect(quarterOf('2026-04-01')).toBe('2026Q2');
    expect(quarterOf('2026-12')).toBe('2026Q4');
    expect(quarterMonths('2026Q4')).toEqual({
      months: ['2026-10-01', '2026-11-01', '2026-12-01'],
      end: '2027-01-01',
    });
    expect(quarterMonths('2026Q2').end).toBe('2026-07-01');
  });

  it('caps an item per quarter in both directions', () => {
    expect(withinCap(8, 2, 10)).toBe(true);
    expect(withinCap(9, 2, 10)).toBe(false);
    expect(withinCap(-8, -3, 10)).toBe(false);
    expect(withinCap(-8, 3, 10)).toBe(true);
  });

  it('ranks ties together and skips the places they take', () => {
    const ranked = rank([{ total: 5 }, { total: 9 }, { total: 9 }, { total: 1 }]);
    expect(ranked.map((r) => [r.total, r.rank])).toEqual([
      [9, 1],
      [9, 1],
      [5, 3],
      [1, 4],
    ]);
  });
});
