import { useEffect, useState } from 'react';
import { getCached } from '../api.js';
import { useT } from '../i18n.js';
import { onItemSent, useOutbox } from '../outbox.js';
import { go } from '../router.js';
import { formatTime, Header, markUsable, PendingChip, StatusChip } from '../ui.js';
import { PendingRow, type Summary } from './Mine.js';

interface Task extends Summary {
  dueAt: string | null;
  overdue: boolean;
  placeName: string | null;
}

/** 我的工单 (grid worker): what is assigned to me or my grid — sign for it, then resolve it. */
export default function Tasks({ patrol }: { patrol: boolean }) {
  const tr = useT();
  const outbox = useOutbox();
  const [items, setItems] = useState<Task[] | null>(null);
  const [stale, setStale] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    getCached<{ items: Task[] }>('/api/work-orders?queue=mine&pageSize=50&sort=dueAt&order=asc')
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
  const waiting = new Set(outbox.flatMap((i) => (i.kind === 'event' ? [i.workOrderId] : [])));
  return (
    <div>
      <Header title={tr('m.tasks.title')} />
      {stale && <p className="banner">{tr('m.offlineSaved')}</p>}
      {error && <p className="error pad">{error}</p>}
      <ul className="list" aria-label={tr('m.tasks.title')}>
        {items?.map((w) => (
          <li key={w.id}>
            <button type="button" className="row-button" onClick={() => go(`/orders/${w.id}`)}>
              <span className="grow">
                <strong>{w.title}</strong>
                <span className="muted small">
                  {w.placeName ?? w.address ?? ''} · {w.number}
                </span>
                {w.dueAt && (
                  <span className={w.overdue ? 'error small' : 'muted small'}>
                    {tr('m.tasks.due', { at: formatTime(w.dueAt) })}
                  </span>
                )}
              </span>
              {waiting.has(w.id) ? <PendingChip /> : <StatusChip status={w.status} />}
            </button>
          </li>
        ))}
      </ul>
      {items && !items.length && <p className="muted pad">{tr('m.tasks.empty')}</p>}
      {outbox.some((i) => i.kind === 'intake') && (
        <ul className="list">
          {outbox
            .filter((i) => i.kind === 'intake')
            .map((i) => (
              <PendingRow key={i.key} item={i} />
            ))}
        </ul>
      )}
      {patrol && (
        <div className="pad">
          <button type="button" className="btn primary big block" onClick={() => go('/patrol')}>
            {tr('m.patrol.start')}
          </button>
        </div>
      )}
    </div>
  );
}
