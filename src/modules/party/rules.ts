/** Pure rules of the party domain: kinds, periods and the point caps. */

export const partyOrgKinds = ['committee', 'workCommittee', 'generalBranch', 'branch', 'group'] as const;
export type PartyOrgKind = (typeof partyOrgKinds)[number];

/** 5 fixed categories (规定内容) and the branch's own items (自选内容, X). */
export const pointsCategories = ['study', 'service', 'prosperity', 'discipline', 'integrity', 'x'] as const;
export type PointsCategory = (typeof pointsCategories)[number];

/** The categories as the notice board and the screens name them. */
export const categoryLabels: Record<PointsCategory, string> = {
  study: '学习',
  service: '服务群众',
  prosperity: '致富增收',
  discipline: '遵规守纪',
  integrity: '弘扬正气',
  x: '自选',
};

/**
 * What the system already knows a member did, which a catalogue item may name as its source: a
 * 服务纪实 confirmed by the community, their 随手拍 closed as resolved, a household visit they made.
 */
export const pointsSources = ['serviceRecord', 'workOrderResolved', 'visit'] as const;
export type PointsSource = (typeof pointsSources)[number];

/** `2026-07` or `2026-07-01` → `2026Q3`. */
export function quarterOf(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${y}Q${Math.floor((m - 1) / 3) + 1}`;
}

/** `2026Q3` → the first days of its months, and the day after it ends. */
export function quarterMonths(quarter: string): { months: string[]; end: string } {
  const m = /^(\d{4})Q([1-4])$/.exec(quarter);
  if (!m) throw new Error(`not a quarter: ${quarter}`);
  const year = Number(m[1]);
  const first = (Number(m[2]) - 1) * 3 + 1;
  const months = [0, 1, 2].map((i) => `${year}-${String(first + i).padStart(2, '0')}-01`);
  const end = first + 3 > 12 ? `${year + 1}-01-01` : `${year}-${String(first + 3).padStart(2, '0')}-01`;
  return { months, end };
}

export const isQuarter = (q: string) => /^\d{4}Q[1-4]$/.test(q);

/**
 * Would `points` more from an item keep the member's quarter total for it within the cap? Caps
 * bound the absolute total either way (加分 up to +cap, 减分 down to −cap).
 */
export function withinCap(totalSoFar: number, points: number, cap: number): boolean {
  return Math.abs(totalSoFar + points) <= cap;
}

/** Quarter states: open (entries) → reviewed (closed) → published (objection window) → final. */
export type QuarterStatus = 'open' | 'reviewed' | 'published' | 'final';

/** Competition ranking (1, 2, 2, 4) of totals, highest first; ties share a rank. */
export function rank<T extends { total: number }>(rows: T[]): (T & { rank: number })[] {
  const sorted = [...rows].sort((a, b) => b.total - a.total);
  return sorted
    .map((r, i) => ({
      ...r,
      rank: i > 0 && sorted[i - 1].total === r.total ? -1 : i + 1,
    }))
    .map((r, i, all) => ({ ...r, rank: r.rank === -1 ? firstRank(all, i) : r.rank }));
}

function firstRank<T extends { total: number; rank: number }>(rows: T[], i: number): number {
  let j = i;
  while (j > 0 && rows[j - 1].total === rows[i].total) j--;
  return j + 1;
}
