import { useState } from 'react';
import { api } from '../../api.js';
import { useSubmit } from '../../forms.js';
import { useT } from '../../i18n.js';
import { Field, Header, useToast } from '../../ui.js';
import { day, type Own, useLoad } from './common.js';

interface List {
  id: string;
  partyOrgName: string;
  quarter: string;
  status: 'published' | 'final';
  objectionUntil: string | null;
  scores: { memberId: string; name: string; total: number; rank: number }[];
}

/** 亮分公示: the branch's latest published list; while its window is open the member may object. */
export default function Published({ own, back }: { own: Own; back: () => void }) {
  const tr = useT();
  const list = useLoad<List | null>('/api/party/me/published');
  const [text, setText] = useState('');
  const [toast, show] = useToast();
  const q = list.data;
  const open = q?.status === 'published' && (!q.objectionUntil || new Date(q.objectionUntil) > new Date());
  const { onSubmit, error, busy } = useSubmit(async () => {
    await api('/api/party/me/objections', { json: { quarterId: q?.id, text } });
    setText('');
    show(tr('m.party.objectionSent'));
  });
  return (
    <div>
      <Header title={tr('m.party.published')} back={back} />
      {list.stale && <p className="banner">{tr('m.offlineSaved')}</p>}
      {list.error && <p className="error pad">{list.error}</p>}
      {list.data === null && !list.error && <p className="muted pad">{tr('m.party.noPublished')}</p>}
      {q && (
        <>
          <section className="card">
            <h2>
              {q.partyOrgName} {q.quarter}
            </h2>
            <span className="chip">{tr(`m.party.quarterStatus.${q.status}`)}</span>
            {open && q.objectionUntil && (
              <p className="small">{tr('m.party.publishedUntil', { until: day(q.objectionUntil) })}</p>
            )}
          </section>
          <ol className="list" aria-label={tr('m.party.published')} data-testid="published-list">
            {q.scores.map((s) => (
              <li key={s.memberId} className={s.memberId === own.id ? 'mine' : undefined}>
                <div className="row-button">
                  <span className="chip">{tr('m.party.rank', { rank: s.rank })}</span>
                  <span className="grow">
                    <strong>
                      {s.name}
                      {s.memberId === own.id ? `（${tr('m.party.me')}）` : ''}
                    </strong>
                  </span>
                  <strong>{s.total}</strong>
                </div>
              </li>
            ))}
          </ol>
          {open && (
            <form className="card" onSubmit={onSubmit} aria-label={tr('m.party.objection')}>
              <h2>{tr('m.party.objection')}</h2>
              <Field label={tr('m.party.objectionText')} error={error}>
                <textarea value={text} maxLength={500} rows={3} onChange={(e) => setText(e.target.value)} />
              </Field>
              <button type="submit" className="btn primary block" disabled={busy || text.trim().length < 2}>
                {tr('m.party.objectionSend')}
              </button>
            </form>
          )}
        </>
      )}
      {toast}
    </div>
  );
}
