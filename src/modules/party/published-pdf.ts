import { localDate } from '../../platform/calendar/work-calendar.js';
import type { AppContext, Caller } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { renderPdf } from '../../platform/pdf/document.js';
import { getQuarter, objectionWorkingDays } from './quarters.js';
import { categoryLabels, pointsCategories } from './rules.js';

const categories = pointsCategories.map((c) => [c, categoryLabels[c]] as const);

/** The published list as an A4 notice for the board (亮分公示), from the same scores the screens show. */
export async function publishedListPdf(ctx: AppContext, caller: Caller, orgId: string, quarter: string) {
  const q = await getQuarter(ctx, caller, orgId, quarter);
  if (q.status !== 'published' && q.status !== 'final')
    throw new AppError('QUARTER_NOT_PUBLISHED', 409, 'error.QUARTER_STATE', {
      quarter,
      status: q.status,
      verb: '打印公示',
    });
  const [year, n] = quarter.split('Q');
  const until = q.objectionUntil ? localDate(q.objectionUntil) : '';
  const bytes = await renderPdf({
    title: `${q.partyOrgName}党员积分亮分公示`,
    subtitle: `${year}年第${n}季度 · 5+X 积分`,
    date: localDate(q.publishedAt ?? new Date()),
    footer: q.partyOrgName,
    author: q.partyOrgName,
    blocks: [
      {
        kind: 'paragraph',
        text: `经支部季度评定，现将${year}年第${n}季度党员积分予以公示，公示期 ${objectionWorkingDays} 个工作日（至 ${until}）。对积分有异议的，请在公示期内通过手机端或向支部记分员提出。`,
      },
      {
        kind: 'table',
        columns: [
          { header: '名次', width: 0.8, align: 'right' },
          { header: '姓名', width: 1.6 },
          ...categories.map(([, label]) => ({ header: label, width: 1, align: 'right' as const })),
          { header: '合计', width: 1, align: 'right' },
        ],
        rows: q.scores.map((s) => [
          String(s.rank),
          s.name,
          ...categories.map(([key]) => String(s[key])),
          String(s.total),
        ]),
      },
    ],
  });
  return { bytes, filename: `${q.partyOrgName}-${quarter}-积分公示.pdf` };
}
