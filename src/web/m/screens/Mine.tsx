import { useEffect, useState } from 'react';
import { getCached } from '../api.js';
import { useT } from '../i18n.js';
import { discard, onItemSent, retry, useOutbox } from '../outbox.js';
import { go } from '../router.js';
import type { OutboxItem } from '../store.js';
import { formatTime, Header, markUsable, PendingChip, StatusChip } from '../ui.js';

export interface Summary {
  id: string;
  number: string;
  title: string;
  categoryName: string;
  status: string;
  rating: string | null;
  address: string | null;
  createdAt: string;
}

/** 我的诉求: what waits in the outbox first (待发送), then what the server has, newest first. */
export default function Mine() {
  const tr = useT();
  const outbox = useOutbox();
  const [items, setItems] = useState<Summary[] | null>(null);
  const [stale, setStale] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = () =>
    getCached<{ items: Summary[] }>('/api/work-orders/mine?pageSize=50')
      .then(({ data, stale }) => {
        setItems(data.items);
        setStale(stale);
        requestAnimationFrame(markUsable);
      })
      .catch((err) => setError(err.message));

  // biome-ignore lint/correctness/useExhaustiveDependencies: loads once (per order); load only sets state
  useEffect(() => {
    void load();
    return onItemSent(() => void load());
  }, []);

  const waiting = outbox.filter((i) => i.kind === 'report');
  const ratings = new Set(outbox.filter((i) => i.kind === 'event').map((i) => i.workOrderId));
  return (
    <div>
      <Header title={tr('m.mine.title')} />
      {stale && <p className="banner">{tr('m.offlineSaved')}</p>}
      {error && <p className="error pad">{error}</p>}
      <ul className="list" aria-label={tr('m.mine.title')}>
        {waiting.map((i) => (
          <PendingRow key={i.key} item={i} />
        ))}
        {items?.map((w) => (
          <li key={w.id}>
            <button type="button" className="row-button" onClick={() => go(`/orders/${w.id}`)}>
              <span className="grow">
                <strong>{w.title}</strong>
                <span className="muted small">
                  {w.number} · {formatTime(w.createdAt)}
                </span>
              </span>
              {ratings.has(w.id) ? <PendingChip /> : <StatusChip status={w.status} />}
              {w.rating && (
                <span className="chip rated">{tr(`m.rating.${w.rating}` as 'm.rating.satisfied')}</span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {items && !items.length && !waiting.length && <p className="muted pad">{tr('m.mine.empty')}</p>}
    </div>
  );
}

export function PendingRow({ item }: { item: OutboxItem }) {
  const tr = useT();
  return (
    <li className="pending-row" data-testid="outbox-item">
      <div className="row-button">
        <span className="grow">
          <strong>{item.title}</strong>
          <span className="muted small">
            {item.kind === 'report' || item.kind === 'intake'
              ? String(item.fields.description).slice(0, 30)
              : item.kind === 'visit'
                ? item.body.notes.slice(0, 30)
                : tr('m.outbox.step')}{' '}
            · {formatTime(item.createdAt)}
          </span>
          {item.error && <span className="error small">{item.error}</span>}
        </span>
        <PendingChip />
      </div>
      {item.error && (
        <div className="row">
          <button type="button" className="btn ghost" onClick={() => void retry(item)}>
            {tr('m.outbox.retry')}
          </button>
          <button type="button" className="btn ghost danger" onClick={() => void discard(item)}>
            {tr('m.outbox.discard')}
          </button>
        </div>
      )}
    </li>
  );
}
