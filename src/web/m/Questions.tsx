import { useT } from './i18n.js';
import { Field } from './ui.js';

/** A category's question (see src/modules/work-orders/questions.ts). */
export interface Question {
  code: string;
  description: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  order: number;
  hint?: string | null;
  values?: { key: string; name: string }[];
}

export type AnswerValues = Record<string, string | string[]>;

/** The first required question left unanswered, if any. */
export function unanswered(questions: Question[], answers: AnswerValues): Question | undefined {
  return questions.find((q) => {
    const a = answers[q.code];
    return q.required && (a === undefined || (Array.isArray(a) ? a.length === 0 : a.trim() === ''));
  });
}

/** Answers as the server takes them: empty ones left out; a local date-time is Beijing time there. */
export function answersField(answers: AnswerValues): string | undefined {
  const kept = Object.entries(answers).filter(([, a]) => (Array.isArray(a) ? a.length : a.trim()));
  return kept.length ? JSON.stringify(Object.fromEntries(kept)) : undefined;
}

/** What the chosen category asks beyond the description, one field per question. */
export function Questions({
  questions,
  value,
  onChange,
}: {
  questions: Question[];
  value: AnswerValues;
  onChange: (v: AnswerValues) => void;
}) {
  const tr = useT();
  const set = (code: string, a: string | string[]) => onChange({ ...value, [code]: a });
  return (
    <section className="card" data-testid="questions">
      <h2>{tr('m.report.questions')}</h2>
      {[...questions]
        .sort((a, b) => a.order - b.order)
        .map((q) => {
          const label = q.required ? `${q.description} *` : q.description;
          const current = value[q.code] ?? (q.datatype === 'multivaluelist' ? [] : '');
          if (q.datatype === 'multivaluelist') {
            const picked = current as string[];
            return (
              <fieldset key={q.code} className="field">
                <legend className="label">{label}</legend>
                {(q.values ?? []).map((v) => (
                  <label key={v.key} className="check">
                    <input
                      type="checkbox"
                      checked={picked.includes(v.key)}
                      onChange={(e) =>
                        set(q.code, e.target.checked ? [...picked, v.key] : picked.filter((k) => k !== v.key))
                      }
                    />{' '}
                    {v.name}
                  </label>
                ))}
              </fieldset>
            );
          }
          const text = current as string;
          const change = (e: { target: { value: string } }) => set(q.code, e.target.value);
          return (
            <Field key={q.code} label={label} hint={q.hint ?? undefined}>
              {q.datatype === 'singlevaluelist' ? (
                <select value={text} onChange={change}>
                  <option value="">{tr('m.report.choose')}</option>
                  {(q.values ?? []).map((v) => (
                    <option key={v.key} value={v.key}>
                      {v.name}
                    </option>
                  ))}
                </select>
              ) : q.datatype === 'text' ? (
                <textarea value={text} onChange={change} rows={3} maxLength={2000} />
              ) : (
                <input
                  value={text}
                  onChange={change}
                  type={
                    q.datatype === 'number' ? 'number' : q.datatype === 'datetime' ? 'datetime-local' : 'text'
                  }
                  inputMode={q.datatype === 'number' ? 'decimal' : undefined}
                  maxLength={200}
                />
              )}
            </Field>
          );
        })}
    </section>
  );
}
