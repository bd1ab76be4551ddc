import { z } from 'zod';

/**
 * A category's questions: what a report in it must or may also say (the size of a pothole, which
 * bin). They are Open311's service attributes (GeoReport v2 service definitions), asked in the
 * phone's report form too, and the answers are kept on the work order. Pure: no I/O.
 */
export const questionTypes = [
  'string',
  'number',
  'datetime',
  'text',
  'singlevaluelist',
  'multivaluelist',
] as const;
export type QuestionType = (typeof questionTypes)[number];

export interface Question {
  /** Stable key of the answer (Open311 `code`, sent as `attribute[code]`). */
  code: string;
  /** The question as a person reads it. */
  description: string;
  datatype: QuestionType;
  required: boolean;
  order: number;
  /** How to answer (Open311 `datatype_description`), e.g. 「单位：米」. */
  hint?: string | null;
  /** The choices of a list question: `key` is stored, `name` shown. */
  values?: { key: string; name: string }[];
}

export type Answer = string | number | string[];
export type Answers = Record<string, Answer>;

const isList = (t: QuestionType) => t === 'singlevaluelist' || t === 'multivaluelist';

const choice = z.object({
  key: z.string().trim().min(1).max(60),
  name: z.string().trim().min(1).max(60),
});

/** A category's questions as staff edit them: codes unique, choices exactly where a list needs them. */
export const questionsSchema = z
  .array(
    z.strictObject({
      code: z
        .string()
        .regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/, '问题编码为字母开头的字母、数字、-、_（至多 40 个）'),
      description: z.string().trim().min(2, '请填写问题').max(200),
      datatype: z.enum(
        questionTypes,
        '问题类型应为 string、number、datetime、text、singlevaluelist 或 multivaluelist',
      ),
      required: z.boolean(),
      order: z.number().int().min(0).max(1000),
      hint: z.string().trim().max(200).nullable().optional(),
      values: z.array(choice).max(50).optional(),
    }),
  )
  .max(20, '每个类别至多 20 个问题')
  .superRefine((qs, ctx) => {
    const seen = new Set<string>();
    qs.forEach((q, i) => {
      if (seen.has(q.code)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: '问题编码重复' });
      seen.add(q.code);
      const keys = (q.values ?? []).map((v) => v.key);
      if (isList(q.datatype) && keys.length === 0)
        ctx.addIssue({ code: 'custom', path: [i, 'values'], message: '选择题须列出选项' });
      if (!isList(q.datatype) && keys.length > 0)
        ctx.addIssue({ code: 'custom', path: [i, 'values'], message: '只有选择题才有选项' });
      if (new Set(keys).size !== keys.length)
        ctx.addIssue({ code: 'custom', path: [i, 'values'], message: '选项的值重复' });
    });
  });

export const sortQuestions = (qs: Question[]) => [...qs].sort((a, b) => a.order - b.order);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A W3C date-time (the profile of ISO 8601 Open311 names): `YYYY-MM-DD`, or with `Thh:mm[:ss[.s]]`
 * and `Z` or an offset. A space where the offset's `+` should be is read as `+` (clients that send
 * `+08:00` unencoded in a query string have it decoded to a space). No offset, and a bare date,
 * mean Beijing time. Returns null for anything else, for an impossible day (2026-02-30), and for a
 * year outside 1000–9999.
 */
export function parseDateTime(input: string): Date | null {
  const m =
    /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?(Z|[+-]\d\d:?\d\d)?)?$/i.exec(
      input.trim().replace(/(\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$/, '$1+$2'),
    );
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '0', zone] = m;
  const year = Number(y);
  if (year < 1000) return null;
  const fields = [year, Number(mo), Number(d), Number(h), Number(mi), Number(s)];
  if (fields[1] < 1 || fields[1] > 12 || fields[3] > 23 || fields[4] > 59 || fields[5] > 59) return null;
  const local = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]);
  // The day must exist: Date.UTC rolls 02-30 over into March.
  if (new Date(local).getUTCDate() !== fields[2]) return null;
  let offsetMinutes = 8 * 60;
  if (zone && zone.toUpperCase() === 'Z') offsetMinutes = 0;
  else if (zone) {
    const [, sign, oh, om] = /^([+-])(\d\d):?(\d\d)$/.exec(zone)!;
    if (Number(oh) > 14 || Number(om) > 59) return null;
    offsetMinutes = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  }
  return new Date(local - offsetMinutes * 60_000 + Math.round(Number(`0.${frac}`) * 1000));
}

/** ISO 8601 in Beijing time with its offset, as answers and Open311 dates are given back. */
export function isoShanghai(d: Date): string {
  const b = new Date(d.getTime() + 8 * 3600_000);
  return `${b.getUTCFullYear()}-${pad(b.getUTCMonth() + 1)}-${pad(b.getUTCDate())}T${pad(b.getUTCHours())}:${pad(
    b.getUTCMinutes(),
  )}:${pad(b.getUTCSeconds())}+08:00`;
}

export interface AnswerProblem {
  code: string;
  message: string;
}

const limits: Partial<Record<QuestionType, number>> = { string: 200, text: 2000 };

/** One answer checked against its question: the value to keep, or what is wrong with it. */
function checkOne(q: Question, raw: unknown): { value?: Answer; problem?: string } {
  const items = (Array.isArray(raw) ? raw : [raw])
    .map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : null))
    .filter((v) => v !== '');
  if (items.some((v) => v === null)) return { problem: '格式不正确' };
  const texts = items as string[];
  if (texts.length === 0) return q.required ? { problem: '必填' } : {};
  const keys = new Set((q.values ?? []).map((v) => v.key));
  if (q.datatype === 'multivaluelist') {
    const picked = [...new Set(texts.flatMap((t) => t.split(',').map((s) => s.trim())).filter(Boolean))];
    const unknown = picked.filter((k) => !keys.has(k));
    return unknown.length ? { problem: `不是可选的值：${unknown.join('、')}` } : { value: picked };
  }
  if (texts.length > 1) return { problem: '只能有一个值' };
  const t = texts[0];
  switch (q.datatype) {
    case 'singlevaluelist':
      return keys.has(t) ? { value: t } : { problem: `不是可选的值：${t}` };
    case 'number': {
      const n = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : Number.NaN;
      return Number.isFinite(n) && Math.abs(n) < 1e15 ? { value: n } : { problem: '应为数字' };
    }
    case 'datetime': {
      const d = parseDateTime(t);
      return d ? { value: isoShanghai(d) } : { problem: '应为日期时间，如 2026-11-20T08:00:00+08:00' };
    }
    default: {
      const max = limits[q.datatype] ?? 200;
      return t.length > max ? { problem: `超过 ${max} 个字符` } : { value: t };
    }
  }
}

/**
 * Answers checked against the questions: required ones present, each of its type, list answers
 * among the choices. Answers to questions the category does not ask are dropped (clients such as
 * FixMyStreet send attributes of their own).
 */
export function checkAnswers(
  questions: Question[],
  raw: Record<string, unknown>,
): { answers: Answers; problems: AnswerProblem[] } {
  const answers: Answers = {};
  const problems: AnswerProblem[] = [];
  for (const q of sortQuestions(questions)) {
    const { value, problem } = checkOne(q, Object.hasOwn(raw, q.code) ? raw[q.code] : undefined);
    if (problem) problems.push({ code: q.code, message: problem });
    else if (value !== undefined) answers[q.code] = value;
  }
  return { answers, problems };
}

/** Answers as a person reads them, in the questions' order: list keys shown by their names. */
export function describeAnswers(questions: Question[], answers: Answers | null) {
  if (!answers) return [];
  return sortQuestions(questions)
    .filter((q) => Object.hasOwn(answers, q.code))
    .map((q) => {
      const names = new Map((q.values ?? []).map((v) => [v.key, v.name]));
      const a = answers[q.code];
      const value = (Array.isArray(a) ? a : [String(a)]).map((k) => names.get(k) ?? k).join('、');
      return { code: q.code, description: q.description, value };
    });
}
