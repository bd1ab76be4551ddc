import { useCallback, useEffect, useState } from 'react';
import { getCached } from '../api.js';
import { type MobileKey, useT } from '../i18n.js';
import { enqueue, onItemSent, useOutbox } from '../outbox.js';
import { Field, formatTime, Header, markUsable, PendingChip, PhotoPicker, useToast } from '../ui.js';
import type { ResidentRow } from './Building.js';
import { PendingRow } from './Mine.js';

interface Detail extends ResidentRow {
  address: string | null;
  events: { id: string; kind: string; occurredOn: string }[];
}
interface Visit {
  id: string;
  visitorName: string;
  visitedAt: string;
  notes: string;
  photos: { id: string; thumbnailUrl: string; url: string }[];
  tagsAdded: string[];
  tagsRemoved: string[];
}

/** The people-register tags a grid worker keeps up to date on a visit (codes.ts residentTags). */
export const tagKeys = [
  'livesAlone',
  'emptyNest',
  'disabled',
  'lowIncome',
  'extremePoverty',
  'orphan',
  'seriousIllness',
  'leftBehindChild',
  'leftBehindElderly',
  'veteran',
  'overseasFamily',
  'gigWorker',
] as const;

const today = () => {
  const d = new Date(Date.now() + 8 * 3600_000); // the register's dates are Beijing dates
  return d.toISOString().slice(0, 10);
};

function TagPicker({ value, onChange }: { value: string[]; onChange: (tags: string[]) => void }) {
  const tr = useT();
  return (
    <div className="choices wrap">
      {tagKeys.map((t) => {
        const on = value.includes(t);
        return (
          <button
            key={t}
            type="button"
            aria-pressed={on}
            className={on ? 'choice on' : 'choice'}
            onClick={() => onChange(on ? value.filter((x) => x !== t) : [...value, t])}
          >
            {tr(`m.tag.${t}` as MobileKey)}
          </button>
        );
      })}
    </div>
  );
}

/**
 * A resident, for a grid worker at the door: who lives here, quick edits of phone and tags,
 * a household visit (走访: notes, a photo, tag changes), 迁出 — all through the outbox.
 */
export default function Resident({ id }: { id: string }) {
  const tr = useT();
  const outbox = useOutbox().filter((i) => 'residentId' in i && i.residentId === id);
  const [r, setR] = useState<Detail | null>(null);
  const [visits, setVisits] = useState<Visit[]>([]);
  const [stale, setStale] = useState(false);
  const [phone, setPhone] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [notes, setNotes] = useState('');
  const [photo, setPhoto] = useState<Blob | null>(null);
  const [visitTags, setVisitTags] = useState<string[]>([]);
  /** Empty: now. A visit written up later can say when it happened. */
  const [visitedAt, setVisitedAt] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [toast, showToast] = useToast();

  const load = useCallback(() => {
    Promise.all([
      getCached<Detail>(`/api/residents/${id}`),
      getCached<{ items: Visit[] }>(`/api/residents/${id}/visits`).catch(() => ({
        data: { items: [] as Visit[] },
        stale: true,
      })),
    ])
      .then(([d, v]) => {
        setR(d.data);
        setTags(d.data.tags);
        setVisitTags(d.data.tags);
        setVisits(v.data.items);
        setStale(d.stale);
        requestAnimationFrame(markUsable);
      })
      .catch((err) => setError(err.message));
  }, [id]);
  useEffect(load, [load]);
  useEffect(() => onItemSent((i) => 'residentId' in i && i.residentId === id && load()), [id, load]);

  /** Queues it; says whether it went now or waits, or shows why the server refused it. */
  const send = async (item: Parameters<typeof enqueue>[0]) => {
    setError(null);
    const res = await enqueue(item);
    if (res.error) setError(res.error);
    else showToast(tr(res.sent ? 'm.sent' : 'm.queued'));
    return !res.error;
  };

  if (!r)
    return (
      <div>
        <Header title={tr('m.resident.title')} back={() => history.back()} />
        <p className={error ? 'error pad' : 'muted pad'}>{error ?? tr('m.loading')}</p>
      </div>
    );

  const saveQuick = async (e: React.FormEvent) => {
    e.preventDefault();
    const body: { phone?: string; tags?: string[] } = {};
    if (phone.trim()) body.phone = phone.trim();
    if (tags.join() !== r.tags.join()) body.tags = tags;
    if (!Object.keys(body).length) return setError(tr('m.resident.nothingChanged'));
    if (
      await send({
        kind: 'resident',
        residentId: id,
        title: `${tr('m.resident.quickEdit')} · ${r.name}`,
        body,
      })
    )
      setPhone('');
  };

  const saveVisit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!notes.trim()) return setError(tr('m.visit.needNotes'));
    const ok = await send({
      kind: 'visit',
      residentId: id,
      title: `${tr('m.visit.title')} · ${r.name}`,
      body: {
        visitedAt: (visitedAt ? new Date(visitedAt) : new Date()).toISOString(),
        notes: notes.trim(),
        tagsAdded: visitTags.filter((t) => !r.tags.includes(t)),
        tagsRemoved: r.tags.filter((t) => !visitTags.includes(t)),
      },
      ...(photo ? { photo } : {}),
    });
    if (ok) {
      setNotes('');
      setVisitedAt('');
      setPhoto(null);
    }
  };

  const moveOut = async () => {
    if (!window.confirm(tr('m.resident.moveOutConfirm', { name: r.name }))) return;
    await send({
      kind: 'lifeEvent',
      residentId: id,
      title: `${tr('m.resident.moveOut')} · ${r.name}`,
      body: { kind: 'moveOut', date: today() },
    });
  };

  return (
    <div>
      <Header title={r.name} back={() => history.back()} />
      {toast}
      {stale && <p className="banner">{tr('m.offlineSaved')}</p>}
      <section className="card">
        <p>
          {tr(r.gender === 'male' ? 'm.gender.male' : 'm.gender.female')} ·{' '}
          {tr('m.resident.age', { n: r.age })}
          {r.status !== 'active' && (
            <span className="chip"> {tr(`m.residentStatus.${r.status}` as MobileKey)}</span>
          )}
        </p>
        {r.address && <p className="muted small">{r.address}</p>}
        <p className="small">
          {tr('m.resident.phone')}：
          <span data-testid="resident-phone">{r.phone ?? tr('m.resident.none')}</span>
        </p>
        <p className="small" data-testid="resident-tags">
          {r.tags.map((t) => tr(`m.tag.${t}` as MobileKey)).join('、') || tr('m.resident.noTags')}
        </p>
      </section>

      {outbox.length > 0 && (
        <section className="card">
          <h2>
            {tr('m.outbox.title', { n: outbox.length })} <PendingChip />
          </h2>
          <ul className="list">
            {outbox.map((i) => (
              <PendingRow key={i.key} item={i} />
            ))}
          </ul>
        </section>
      )}

      {error && (
        <p className="error pad" role="alert">
          {error}
        </p>
      )}

      <form className="card" onSubmit={saveVisit} aria-label={tr('m.visit.title')}>
        <h2>{tr('m.visit.title')}</h2>
        <Field label={tr('m.visit.notes')}>
          <textarea
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
            rows={3}
            maxLength={2000}
            placeholder={tr('m.visit.notesPlaceholder')}
          />
        </Field>
        <Field label={tr('m.visit.when')} hint={tr('m.visit.whenHint')}>
          <input
            type="datetime-local"
            value={visitedAt}
            max={new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16)}
            onChange={(e) => setVisitedAt(e.target.value)}
          />
        </Field>
        <PhotoPicker value={photo} onChange={setPhoto} />
        <div className="field">
          <span className="label">{tr('m.visit.tags')}</span>
          <TagPicker value={visitTags} onChange={setVisitTags} />
        </div>
        <button type="submit" className="btn primary big block">
          {tr('m.visit.submit')}
        </button>
      </form>

      <form className="card" onSubmit={saveQuick} aria-label={tr('m.resident.quickEdit')}>
        <h2>{tr('m.resident.quickEdit')}</h2>
        <Field label={tr('m.resident.newPhone')} hint={tr('m.resident.newPhoneHint')}>
          <input value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" maxLength={20} />
        </Field>
        <div className="field">
          <span className="label">{tr('m.resident.tags')}</span>
          <TagPicker value={tags} onChange={setTags} />
        </div>
        <button type="submit" className="btn big block">
          {tr('m.resident.save')}
        </button>
      </form>

      <section className="card">
        <h2>{tr('m.visit.history')}</h2>
        {visits.length === 0 && <p className="muted">{tr('m.visit.none')}</p>}
        <ul className="timeline" data-testid="visits">
          {visits.map((v) => (
            <li key={v.id}>
              <strong>{formatTime(v.visitedAt)}</strong> <span className="muted small">{v.visitorName}</span>
              <p>{v.notes}</p>
              {v.photos.length > 0 && (
                <div className="thumbs">
                  {v.photos.map((p) => (
                    <img key={p.id} src={p.thumbnailUrl} alt={tr('m.photo.preview')} loading="lazy" />
                  ))}
                </div>
              )}
            </li>
          ))}
        </ul>
      </section>

      {r.status === 'active' && (
        <div className="pad">
          <button type="button" className="btn big block danger" onClick={moveOut}>
            {tr('m.resident.moveOut')}
          </button>
        </div>
      )}
    </div>
  );
}
