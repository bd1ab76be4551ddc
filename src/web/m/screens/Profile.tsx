import { useEffect, useState } from 'react';
import { getCached } from '../api.js';
import { useT } from '../i18n.js';
import { flush, useOutbox } from '../outbox.js';
import { setElderly, useElderly } from '../prefs.js';
import { logout, type Me } from '../session.js';
import { formatTime, Header, LanguageChoices } from '../ui.js';
import { PendingRow } from './Mine.js';

interface Notice {
  id: string;
  title: string;
  body: string | null;
  createdAt: string;
  readAt: string | null;
}

/** 我的: who I am, notices, what waits to be sent, elderly mode and language, log out. */
export default function Profile({ me }: { me: Me }) {
  const tr = useT();
  const elderly = useElderly();
  const outbox = useOutbox();
  const [notices, setNotices] = useState<Notice[]>([]);
  const [request, setRequest] = useState<string | null>(null);
  useEffect(() => {
    // A registered resident: whether the community has confirmed who they are yet.
    if (me.kind === 'resident')
      getCached<{ kind: string; status: string }[]>('/api/account-requests/mine')
        .then(({ data }) => setRequest(data.find((r) => r.kind === 'resident')?.status ?? null))
        .catch(() => {});
  }, [me.kind]);
  useEffect(() => {
    getCached<{ items: Notice[] }>('/api/notifications?pageSize=10')
      .then(({ data }) => setNotices(data.items))
      .catch(() => {});
  }, []);
  return (
    <div>
      <Header title={tr('m.tab.me')} />
      <section className="card">
        <h2>{me.displayName}</h2>
        <p className="muted">
          {me.username}
          {me.assignments[0]?.orgName ? ` · ${me.assignments[0].orgName}` : ''}
        </p>
        {request && (
          <p className={request === 'rejected' ? 'warn' : 'small'} data-testid="account-status">
            {tr(`m.account.${request}` as 'm.account.pending')}
          </p>
        )}
      </section>

      <section className="card">
        <label className="switch">
          <span className="grow">
            <strong>{tr('m.elderly.title')}</strong>
            <span className="muted small">{tr('m.elderly.hint')}</span>
          </span>
          <input
            type="checkbox"
            checked={elderly}
            onChange={(e) => setElderly(e.target.checked)}
            aria-label={tr('m.elderly.title')}
          />
        </label>
        <div className="field">
          <span className="label">{tr('m.language')}</span>
          <LanguageChoices />
        </div>
      </section>

      <section className="card">
        <div className="row between">
          <h2>{tr('m.outbox.title', { n: outbox.length })}</h2>
          {outbox.length > 0 && (
            <button type="button" className="btn ghost" onClick={() => void flush()}>
              {tr('m.outbox.sendNow')}
            </button>
          )}
        </div>
        {outbox.length === 0 ? (
          <p className="muted">{tr('m.outbox.empty')}</p>
        ) : (
          <ul className="list">
            {outbox.map((i) => (
              <PendingRow key={i.key} item={i} />
            ))}
          </ul>
        )}
      </section>

      {!elderly && (
        <section className="card">
          <h2>{tr('m.notices')}</h2>
          {notices.length === 0 && <p className="muted">{tr('m.notices.empty')}</p>}
          <ul className="plain">
            {notices.map((n) => (
              <li key={n.id} className={n.readAt ? '' : 'unread'}>
                <strong>{n.title}</strong>
                <span className="muted small"> {formatTime(n.createdAt)}</span>
                {n.body && <p className="small">{n.body}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}

      <div className="pad">
        <button
          type="button"
          className="btn big block danger"
          onClick={() => {
            if (outbox.length && !window.confirm(tr('m.logout.pending', { n: outbox.length }))) return;
            void logout();
          }}
        >
          {tr('m.logout')}
        </button>
      </div>
    </div>
  );
}
