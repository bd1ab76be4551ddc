/**
 * Days that break the Monday-to-Friday week: public holidays (`holiday`) and the weekend days worked
 * to make up for them (`workday`, 调休上班). Shipped for the current and the next year; an
 * administrator edits a year when the State Council publishes or changes its arrangement.
 */
export interface CalendarDay {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

export interface CalendarYear {
  year: number;
  /** Where the days come from; `provisional` until the official arrangement is entered. */
  source: string;
  provisional: boolean;
  days: CalendarDay[];
}

const span = (name: string, from: string, to: string): CalendarDay[] => {
  const days: CalendarDay[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d <= new Date(`${to}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1)
  )
    days.push({ date: d.toISOString().slice(0, 10), kind: 'holiday', name });
  return days;
};
const workday = (name: string, date: string): CalendarDay => ({
  date,
  kind: 'workday',
  name: `${name}调休上班`,
});

export const defaultYears: CalendarYear[] = [
  {
    year: 2026,
    source: '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）',
    provisional: false,
    days: [
      ...span('元旦', '2026-01-01', '2026-01-03'),
      workday('元旦', '2026-01-04'),
      ...span('春节', '2026-02-15', '2026-02-23'),
      workday('春节', '2026-02-14'),
      workday('春节', '2026-02-28'),
      ...span('清明节', '2026-04-04', '2026-04-06'),
      ...span('劳动节', '2026-05-01', '2026-05-05'),
      workday('劳动节', '2026-05-09'),
      ...span('端午节', '2026-06-19', '2026-06-21'),
      ...span('中秋节', '2026-09-25', '2026-09-27'),
      ...span('国庆节', '2026-10-01', '2026-10-07'),
      workday('国庆节', '2026-09-20'),
      workday('国庆节', '2026-10-10'),
    ],
  },
  {
    // The statutory days of 全国年节及纪念日放假办法 (2024 revision) on 2027's lunar dates; the
    // make-up working days come with the State Council's notice and are entered then.
    year: 2027,
    source: '全国年节及纪念日放假办法规定的法定节假日（待国务院公布2027年调休安排后更新）',
    provisional: true,
    days: [
      ...span('元旦', '2027-01-01', '2027-01-01'),
      ...span('春节', '2027-02-05', '2027-02-08'),
      ...span('清明节', '2027-04-05', '2027-04-05'),
      ...span('劳动节', '2027-05-01', '2027-05-02'),
      ...span('端午节', '2027-06-09', '2027-06-09'),
      ...span('中秋节', '2027-09-15', '2027-09-15'),
      ...span('国庆节', '2027-10-01', '2027-10-03'),
    ],
  },
];
