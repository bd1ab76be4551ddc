import { useEffect, useState } from 'react';
import { getCached } from '../api.js';
import { getLocale, type MobileKey, t, useT } from '../i18n.js';
import { enqueue, onItemSent, useOutbox } from '../outbox.js';
import { useElderly } from '../prefs.js';
import { go } from '../router.js';
import { Field, formatTime, Header, PendingChip, PhotoPicker, StatusChip, useToast } from '../ui.js';

interface Photo {
  id: string;
  url: string;
}
interface Event {
  seq: number;
  type: string;
  /** The type, or `signed` when the handler signs for the order (not a second 受理). */
  label?: string;
  name: string;
  at: string;
  actorName: string | null;
  text: string | null;
  photos: Photo[];
}
interface WorkOrder {
  id: string;
  number: string;
  title: string;
  description: string;
  categoryName: string;
  address: string | null;
  answers: { code: string; description: string; value: string }[];
  status: string;
  rating: string | null;
  handlerName: string | null;
  createdAt: string;
  timeline: Event[];
  allowed: string[];
}

/**
 * The server names events in Chinese for this reader (plain words for a resident, the staff's terms
 * for staff); other languages take the catalogue's name of the event's label.
 */
const eventName = (e: Event) => {
  if (getLocale() === 'zh-CN') return e.name;
  const key = `m.event.${e.label ?? e.type}` as MobileKey;
  const label = t(key);
  return label === key ? e.name : label;
};

const ratings = ['satisfied', 'basicallySatisfied', 'unsatisfied'] as const;

/** One work order: what was reported, its timeline with replies and photos, and what I may do now. */
export default function Detail({ id }: { id: string }) {
  const tr = useT();
  const elderly = useElderly();
  const outbox = useOutbox();
  const [order, setOrder] = useState<WorkOrder | null>(null);
  const [stale, setStale] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [toast, showToast] = useToast();

  const load = () =>
    getCached<WorkOrder>(`/api/work-orders/${id}`)
      .then(({ data, stale }) => {
        setOrder(data);
        setStale(stale);
      })
      .catch((err) => setError(err.message));
  // biome-ignore lint/correctness/useExhaustiveDependencies: loads once (per order); load only sets state
  useEffect(() => {
    void load();
    return onItemSent((item) => {
      if (item.kind === 'event' && item.workOrderId === id) void load();
    });
  }, [id]);

  const back = () => (history.length > 1 ? history.back() : go('/'));
  if (!order)
    return (
      <div>
        <Header title={tr('m.detail.title')} back={back} />
        <p className={error ? 'error pad' : 'muted pad'}>{error ?? tr('m.loading')}</p>
      </div>
    );

  const waiting = outbox.filter((i) => i.kind === 'event' && i.workOrderId === id);
  const send = async (body: { type: string; [k: string]: unknown }, title: string, photo?: Blob | null) => {
    const res = await enqueue({ kind: 'event', workOrderId: id, body, title, ...(photo ? { photo } : {}) });
    if (res.error) showToast(res.error);
    else if (!res.sent) showToast(tr('m.queued'));
    else showToast(tr('m.sent'));
  };
  const first = order.timeline.find((e) => e.type === 'created');

  return (
    <div>
      <Header title={tr('m.detail.title')} back={back} />
      {toast}
      {stale && <p className="banner">{tr('m.offlineSaved')}</p>}
      <section className="card">
        <div className="row between">
          <h2 className="grow">{order.title}</h2>
          {waiting.length ? <PendingChip /> : <StatusChip status={order.status} />}
        </div>
        <p className="muted small">
          {order.number} · {order.categoryName} · {formatTime(order.createdAt)}
        </p>
        <p>{order.description}</p>
        {order.answers?.length > 0 && (
          <dl className="answers" data-testid="answers">
            {order.answers.map((a) => (
              <div key={a.code}>
                <dt className="muted small">{a.description}</dt>
                <dd>{a.value}</dd>
              </div>
            ))}
          </dl>
        )}
        {order.address && <p className="muted">{order.address}</p>}
        {first && first.photos.length > 0 && (
          <div className="thumbs">
            {first.photos.map((p) => (
              <a key={p.id} href={p.url} target="_blank" rel="noreferrer">
                <img src={`${p.url}?w=320`} alt={tr('m.photo.preview')} loading="lazy" />
              </a>
            ))}
          </div>
        )}
        {order.handlerName && !elderly && (
          <p className="small">{tr('m.detail.handler', { name: order.handlerName })}</p>
        )}
      </section>

      {waiting.length > 0 && (
        <section className="card notice" data-testid="pending-steps">
          {waiting.map((w) => (
            <p key={w.key}>
              <PendingChip /> {w.title}
              {w.error && <span className="error small"> {w.error}</span>}
            </p>
          ))}
        </section>
      )}

      {!waiting.length && order.allowed.includes('rated') && (
        <RateForm onSend={(rating, text) => send({ type: 'rated', rating, text }, tr('m.rate.title'))} />
      )}
      {!waiting.length && order.allowed.includes('accepted') && order.status === 'dispatched' && (
        <section className="card">
          <button
            type="button"
            className="btn primary big block"
            onClick={() => send({ type: 'accepted' }, tr('m.task.accept'))}
          >
            {tr('m.task.accept')}
          </button>
        </section>
      )}
      {!waiting.length && order.allowed.includes('resolved') && (
        <ResolveForm
          onSend={(text, photo) =>
            send({ type: 'resolved', outcome: 'resolved', text }, tr('m.task.resolve'), photo)
          }
        />
      )}

      <section className="card">
        <h2>{tr('m.detail.timeline')}</h2>
        <ol className="timeline">
          {order.timeline.map((e) => (
            <li key={e.seq}>
              <strong>{eventName(e)}</strong>
              <span className="muted small">
                {formatTime(e.at)}
                {e.actorName ? ` · ${e.actorName}` : ''}
              </span>
              {e.text && <p>{e.text}</p>}
              {e.type !== 'created' && e.photos.length > 0 && (
                <div className="thumbs">
                  {e.photos.map((p) => (
                    <img key={p.id} src={`${p.url}?w=320`} alt={tr('m.photo.preview')} loading="lazy" />
                  ))}
                </div>
              )}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function RateForm({ onSend }: { onSend: (rating: string, text: string) => Promise<void> }) {
  const tr = useT();
  const [rating, setRating] = useState<string>('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <section className="card">
      <h2>{tr('m.rate.title')}</h2>
      <div className="choices">
        {ratings.map((r) => (
          <button
            key={r}
            type="button"
            aria-pressed={rating === r}
            className={rating === r ? `choice on r-${r}` : 'choice'}
            onClick={() => setRating(r)}
          >
            {tr(`m.rating.${r}`)}
          </button>
        ))}
      </div>
      <Field label={tr('m.rate.comment')}>
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={2} maxLength={2000} />
      </Field>
      <button
        type="button"
        className="btn primary big block"
        disabled={!rating || busy}
        onClick={async () => {
          setBusy(true);
          await onSend(rating, text.trim()).finally(() => setBusy(false));
        }}
      >
        {tr('m.rate.submit')}
      </button>
    </section>
  );
}

function ResolveForm({ onSend }: { onSend: (text: string, photo: Blob | null) => Promise<void> }) {
  const tr = useT();
  const [text, setText] = useState('');
  const [photo, setPhoto] = useState<Blob | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="card">
      <h2>{tr('m.task.resolve')}</h2>
      <Field label={tr('m.task.reply')}>
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} maxLength={2000} />
      </Field>
      <PhotoPicker value={photo} onChange={setPhoto} />
      {error && <p className="error">{error}</p>}
      <button
        type="button"
        className="btn primary big block"
        disabled={busy}
        onClick={async () => {
          if (!text.trim()) return setError(tr('m.task.needReply'));
          setBusy(true);
          await onSend(text.trim(), photo).finally(() => setBusy(false));
        }}
      >
        {tr('m.task.resolveSubmit')}
      </button>
    </section>
  );
}
