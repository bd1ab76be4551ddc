import { useState } from 'react';
import { api } from '../../api.js';
import { FormError, useSubmit } from '../../forms.js';
import { type MobileKey, useT } from '../../i18n.js';
import { Field, useToast } from '../../ui.js';
import { type OwnCheckIn, today } from './CheckIn.js';
import { useLoad } from './common.js';

interface Post {
  id: string;
  name: string;
  description: string | null;
  capacity: number | null;
  taken: number;
  mine: boolean;
}

const ratings = ['excellent', 'good', 'fair', 'poor'] as const;

/** After the community confirmed: 认岗, 服务纪实 (waits for the community) and the member's yearly review. */
export function CheckInWork({ checkIn, onChange }: { checkIn: OwnCheckIn; onChange: () => void }) {
  const tr = useT();
  const posts = useLoad<Post[]>('/api/party/me/posts');
  const [toast, show] = useToast();
  const [servedOn, setServedOn] = useState(today());
  const [hours, setHours] = useState('2');
  const [what, setWhat] = useState('');
  const [postId, setPostId] = useState('');
  const [rating, setRating] = useState<string>('excellent');
  const year = Number(today().slice(0, 4));
  const pick = async (p: Post) => {
    try {
      await api('/api/party/me/posts', { json: { postId: p.id } });
      await posts.reload();
      onChange();
    } catch (err) {
      show((err as Error).message);
    }
  };
  const service = useSubmit(async () => {
    await api('/api/party/me/services', {
      json: { servedOn, hours: Number(hours), what, postId: postId || null },
    });
    setWhat('');
    show(tr('m.checkIn.serviceSent'));
    onChange();
  });
  const review = useSubmit(async () => {
    await api('/api/party/me/check-in/review', { json: { year, rating } });
    show(tr('m.checkIn.reviewSent'));
    onChange();
  });
  const reviewed = checkIn.reviews.some((r) => r.year === year && r.reviewer === 'member');
  return (
    <>
      <section className="card">
        <h2>{tr('m.checkIn.posts')}</h2>
        <ul className="plain">
          {posts.data?.map((p) => (
            <li key={p.id} className="row between">
              <span>
                {p.name}
                {p.capacity ? ` · ${p.taken}/${p.capacity}` : ''}
              </span>
              {p.mine ? (
                <span className="chip">{tr('m.checkIn.picked')}</span>
              ) : (
                <button type="button" className="btn" onClick={() => pick(p)}>
                  {tr('m.checkIn.pick')}
                </button>
              )}
            </li>
          ))}
        </ul>
        {posts.data && !posts.data.length && <p className="muted small">{tr('m.checkIn.noPosts')}</p>}
      </section>
      <form className="card" onSubmit={service.onSubmit} aria-label={tr('m.checkIn.service')}>
        <h2>{tr('m.checkIn.service')}</h2>
        <Field label={tr('m.checkIn.servedOn')}>
          <input type="date" value={servedOn} max={today()} onChange={(e) => setServedOn(e.target.value)} />
        </Field>
        <Field label={tr('m.checkIn.hours')}>
          <input
            type="number"
            step="0.5"
            min="0.5"
            max="24"
            value={hours}
            onChange={(e) => setHours(e.target.value)}
          />
        </Field>
        <Field label={tr('m.checkIn.post')}>
          <select value={postId} onChange={(e) => setPostId(e.target.value)}>
            <option value="">-</option>
            {checkIn.posts.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={tr('m.checkIn.what')}>
          <textarea rows={3} maxLength={500} value={what} onChange={(e) => setWhat(e.target.value)} />
        </Field>
        <FormError error={service.error} />
        <button type="submit" className="btn primary block" disabled={service.busy || what.trim().length < 2}>
          {tr('m.checkIn.serviceSubmit')}
        </button>
      </form>
      <ul className="list" aria-label={tr('m.checkIn.services')}>
        {checkIn.serviceRecords.map((s) => (
          <li key={s.id}>
            <div className="row-button">
              <span className="grow">
                <strong>{s.what}</strong>
                <span className="muted small">
                  {s.servedOn} · {tr('m.checkIn.hoursOf', { hours: s.hours })}
                </span>
              </span>
              <span className="chip">{tr(`m.checkIn.service.${s.status}` as MobileKey)}</span>
            </div>
          </li>
        ))}
      </ul>
      {!reviewed && (
        <form className="card" onSubmit={review.onSubmit} aria-label={tr('m.checkIn.review')}>
          <h2>{tr('m.checkIn.review', { year })}</h2>
          <Field label={tr('m.checkIn.rating')}>
            <select value={rating} onChange={(e) => setRating(e.target.value)}>
              {ratings.map((r) => (
                <option key={r} value={r}>
                  {tr(`m.checkIn.rating.${r}`)}
                </option>
              ))}
            </select>
          </Field>
          <FormError error={review.error} />
          <button type="submit" className="btn primary block" disabled={review.busy}>
            {tr('m.checkIn.reviewSubmit')}
          </button>
        </form>
      )}
      {toast}
    </>
  );
}
