import { useEffect, useState } from 'react';
import { localDate } from '../../../../platform/calendar/local-time.js';
import { api } from '../../api.js';
import { FormError, useSubmit } from '../../forms.js';
import { type MobileKey, useT } from '../../i18n.js';
import { Field, Header, useToast } from '../../ui.js';
import { CheckInWork } from './CheckInWork.js';
import { useLoad } from './common.js';

export interface OwnCheckIn {
  id: string;
  status: 'pending' | 'confirmed' | 'refused';
  orgUnitName: string;
  reason: string | null;
  services: number;
  hours: number;
  posts: { id: string; name: string }[];
  serviceRecords: { id: string; servedOn: string; hours: number; what: string; status: string }[];
  reviews: { year: number; reviewer: string; rating: string }[];
}

interface Community {
  id: string;
  name: string;
  street: string | null;
}

/** 双报到 (an in-service member): check in where they live; once confirmed, posts, services and the yearly review. */
export default function CheckIn({ back }: { back: () => void }) {
  const tr = useT();
  const own = useLoad<OwnCheckIn | null>('/api/party/me/check-in');
  const c = own.data;
  return (
    <div>
      <Header title={tr('m.checkIn.title')} back={back} />
      {own.error && <p className="error pad">{own.error}</p>}
      {own.data === null && <Register onDone={() => void own.reload()} />}
      {c && (
        <section className="card" data-testid="check-in">
          <h2>{c.orgUnitName}</h2>
          <span className="chip">{tr(`m.checkIn.status.${c.status}` as MobileKey)}</span>
          {c.reason && <p className="error small">{c.reason}</p>}
          <p className="small muted">{tr('m.checkIn.summary', { services: c.services, hours: c.hours })}</p>
        </section>
      )}
      {c?.status === 'confirmed' && <CheckInWork checkIn={c} onChange={() => void own.reload()} />}
    </div>
  );
}

function Register({ onDone }: { onDone: () => void }) {
  const tr = useT();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Community[]>([]);
  const [community, setCommunity] = useState<Community | null>(null);
  const [note, setNote] = useState('');
  const [toast, show] = useToast();
  const { onSubmit, error, setError, busy } = useSubmit(
    async () => {
      await api('/api/party/me/check-in', { json: { orgUnitId: community?.id, note: note.trim() || null } });
      show(tr('m.checkIn.sent'));
      onDone();
    },
    () => (community ? null : tr('m.checkIn.needCommunity')),
  );
  useEffect(() => {
    const text = q.trim();
    if (!text || community?.name === text) return setFound([]);
    const timer = setTimeout(() => {
      api<Community[]>(`/api/public/communities?q=${encodeURIComponent(text)}`)
        .then(setFound)
        .catch((err) => setError(err.message));
    }, 400);
    return () => clearTimeout(timer);
  }, [q, community, setError]);
  return (
    <form className="card" onSubmit={onSubmit} aria-label={tr('m.checkIn.title')}>
      <p className="small muted">{tr('m.checkIn.hint')}</p>
      <Field label={tr('m.checkIn.community')}>
        <input
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setCommunity(null);
          }}
        />
      </Field>
      <ul className="plain">
        {found.map((f) => (
          <li key={f.id}>
            <button
              type="button"
              className="link"
              onClick={() => {
                setCommunity(f);
                setQ(f.name);
                setFound([]);
              }}
            >
              {f.name}
              {f.street ? `（${f.street}）` : ''}
            </button>
          </li>
        ))}
      </ul>
      <Field label={tr('m.checkIn.note')}>
        <input value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <FormError error={error} />
      <button type="submit" className="btn primary block" disabled={busy}>
        {tr('m.checkIn.submit')}
      </button>
      {toast}
    </form>
  );
}

export const today = () => localDate(new Date());
