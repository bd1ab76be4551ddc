import { lazy, Suspense, useEffect, useState } from 'react';
import { api, getCached } from '../api.js';
import { locate, type Position } from '../geo.js';
import { useT } from '../i18n.js';
import { discard, enqueue } from '../outbox.js';
import { useElderly } from '../prefs.js';
import { type AnswerValues, answersField, type Question, Questions, unanswered } from '../Questions.js';
import { go } from '../router.js';
import { outboxAll } from '../store.js';
import { Field, FieldError, Header, markUsable, PhotoPicker, useToast } from '../ui.js';

interface Category {
  id: string;
  name: string;
  parentCode: string | null;
  staffOnly: boolean;
  common: boolean;
  questions?: Question[];
}
interface Similar {
  id: string;
  number: string;
  title: string;
  distance: number;
}

type Locating = 'locating' | 'located' | 'failed' | 'pinned';

// Leaflet and the map come only when someone opens the map (no GPS, or the GPS is off).
const MapPin = lazy(() => import('../MapPin.js'));

/**
 * 随手拍: photo, place, category, a few words — one request, or the outbox when there is no signal.
 * With `patrol`, the same form is a grid worker's 巡查上报 (channel `patrol`, staff categories too).
 */
export default function Report({
  patrol,
  communityId,
}: {
  patrol?: { placeId?: string };
  /** Where the map opens when there is no position (a resident's community). */
  communityId?: string;
}) {
  const tr = useT();
  const elderly = useElderly();
  const [categories, setCategories] = useState<Category[]>([]);
  const [categoryId, setCategoryId] = useState('');
  const [description, setDescription] = useState('');
  const [answers, setAnswers] = useState<AnswerValues>({});
  const [photo, setPhoto] = useState<Blob | null>(null);
  const [position, setPosition] = useState<Position | null>(null);
  const [locating, setLocating] = useState<Locating>('locating');
  const [address, setAddress] = useState('');
  const [mapOpen, setMapOpen] = useState(false);
  const [similar, setSimilar] = useState<Similar[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<
    Partial<Record<'category' | 'questions' | 'description' | 'place', string>>
  >({});
  const [busy, setBusy] = useState(false);
  const [toast, showToast] = useToast();

  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the form opens
  useEffect(() => {
    getCached<Category[]>('/api/work-order-categories')
      .then(({ data }) => {
        setCategories(data.filter((c) => c.parentCode !== null && (patrol || !c.staffOnly)));
        requestAnimationFrame(markUsable);
      })
      .catch(() => setError(tr('m.report.noCategories')));
    void findMe();
  }, []);

  const findMe = async () => {
    setLocating('locating');
    const p = await locate();
    setPosition(p);
    setLocating(p ? 'located' : 'failed');
  };

  useEffect(() => {
    if (!categoryId || !position || !navigator.onLine) return setSimilar([]);
    const q = new URLSearchParams({ categoryId, lng: String(position.lng), lat: String(position.lat) });
    api<Similar[]>(`/api/work-orders/similar?${q}`)
      .then(setSimilar)
      .catch(() => setSimilar([]));
  }, [categoryId, position]);

  const common = categories.filter((c) => c.common);
  const others = categories.filter((c) => !c.common);
  const category = categories.find((c) => c.id === categoryId);
  // Another category asks other questions: answers to the last one's do not carry over.
  const choose = (id: string) => {
    setCategoryId(id);
    setAnswers({});
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const missing = unanswered(category?.questions ?? [], answers);
    const wrong = {
      ...(categoryId ? {} : { category: tr('m.report.needCategory') }),
      ...(missing ? { questions: tr('m.report.needAnswer', { q: missing.description }) } : {}),
      ...(description.trim().length >= 4 ? {} : { description: tr('m.report.needDescription') }),
      ...(position || address.trim() ? {} : { place: tr('m.report.needPlace') }),
    };
    setInvalid(wrong);
    if (Object.keys(wrong).length) {
      // Take the reporter to the first field to fix; each field says what it needs.
      const first = (['category', 'questions', 'place', 'description'] as const).find((k) => wrong[k]);
      document.querySelector(`[data-field="${first}"]`)?.scrollIntoView({ block: 'center' });
      return;
    }
    setBusy(true);
    try {
      const fields: Record<string, string> = { categoryId, description: description.trim() };
      if (position) Object.assign(fields, { lng: String(position.lng), lat: String(position.lat) });
      if (address.trim()) fields.address = address.trim();
      const answered = answersField(answers);
      if (answered) fields.answers = answered;
      const title = category?.name ?? tr('m.report.title');
      const res = await enqueue(
        patrol
          ? {
              kind: 'intake',
              title,
              fields: {
                ...fields,
                channel: 'patrol',
                ...(patrol.placeId ? { placeId: patrol.placeId } : {}),
              },
              ...(photo ? { photo } : {}),
            }
          : { kind: 'report', title, fields, ...(photo ? { photo } : {}) },
      );
      if (res.error) {
        // Refused as entered (e.g. outside every grid): fix the form rather than keep it waiting.
        const item = (await outboxAll()).find((i) => i.key === res.key);
        if (item) await discard(item);
        setError(res.error);
        return;
      }
      if (res.sent && res.result) go(`/orders/${res.result.id}`);
      else {
        showToast(tr('m.report.queued'));
        go(patrol ? '/tasks' : '/mine');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="report" onSubmit={submit}>
      <Header
        title={tr(patrol ? 'm.patrol.title' : 'm.report.title')}
        back={patrol ? () => go('/tasks') : undefined}
      />
      {toast}
      <section className="card">
        <h2>{tr('m.report.photo')}</h2>
        <PhotoPicker value={photo} onChange={setPhoto} />
      </section>

      <section className="card" data-field="category">
        <h2>{tr('m.report.category')}</h2>
        <FieldError error={invalid.category} />
        <div className="tiles">
          {common.map((c) => (
            <button
              key={c.id}
              type="button"
              aria-pressed={categoryId === c.id}
              className={categoryId === c.id ? 'tile on' : 'tile'}
              onClick={() => {
                choose(c.id);
                setInvalid(({ category: _, ...rest }) => rest);
              }}
            >
              <span className="tile-icon" aria-hidden="true">
                {c.name.slice(0, 1)}
              </span>
              <span>{c.name}</span>
            </button>
          ))}
        </div>
        {!elderly && others.length > 0 && (
          <Field label={tr('m.report.otherCategory')}>
            <select
              value={common.some((c) => c.id === categoryId) ? '' : categoryId}
              onChange={(e) => choose(e.target.value)}
            >
              <option value="">{tr('m.report.choose')}</option>
              {others.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
        )}
      </section>

      {category?.questions?.length ? (
        <div data-field="questions">
          <FieldError error={invalid.questions} />
          <Questions questions={category.questions} value={answers} onChange={setAnswers} />
        </div>
      ) : null}

      <section className="card" data-field="place">
        <h2>{tr('m.report.place')}</h2>
        <p className={locating === 'failed' ? 'warn' : 'muted'} data-testid="location-status">
          {locating === 'locating' && tr('m.report.locating')}
          {locating === 'located' && tr('m.report.located', { m: Math.round(position?.accuracy ?? 0) })}
          {locating === 'failed' && tr('m.report.locateFailed')}
          {locating === 'pinned' && tr('m.report.pinned')}
        </p>
        {locating === 'pinned' && position && (
          <p className="small">
            {tr('m.map.coords', { lng: position.lng.toFixed(6), lat: position.lat.toFixed(6) })}
          </p>
        )}
        {locating !== 'locating' && !mapOpen && (
          <div className="row wrap">
            <button type="button" className="btn ghost" onClick={findMe}>
              {tr('m.report.locateAgain')}
            </button>
            <button type="button" className="btn ghost" onClick={() => setMapOpen(true)}>
              {tr('m.map.open')}
            </button>
          </div>
        )}
        {mapOpen && (
          <Suspense fallback={<p className="muted">{tr('m.loading')}</p>}>
            <MapPin
              start={position}
              communityId={communityId}
              onPick={(p) => {
                setPosition({ ...p, accuracy: 0 });
                setLocating('pinned');
                setMapOpen(false);
              }}
              onCancel={() => setMapOpen(false)}
            />
          </Suspense>
        )}
        <Field
          label={tr('m.report.address')}
          hint={position ? tr('m.report.addressOptional') : undefined}
          error={invalid.place}
        >
          <input
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            placeholder={tr('m.report.addressPlaceholder')}
            maxLength={200}
          />
        </Field>
      </section>

      <section className="card" data-field="description">
        <Field label={tr('m.report.description')} hint={tr('m.report.voiceHint')} error={invalid.description}>
          <textarea
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            rows={elderly ? 3 : 4}
            maxLength={2000}
            placeholder={tr('m.report.descriptionPlaceholder')}
          />
        </Field>
      </section>

      {similar.length > 0 && (
        <section className="card notice">
          <h2>{tr('m.report.similar', { n: similar.length })}</h2>
          <ul className="plain">
            {similar.slice(0, 3).map((s) => (
              <li key={s.id}>
                {s.title}{' '}
                <span className="muted">{tr('m.report.metres', { m: Math.round(s.distance) })}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      {error && (
        <p className="error pad" role="alert">
          {error}
        </p>
      )}
      <div className="pad">
        <button type="submit" className="btn primary big block" disabled={busy}>
          {busy ? tr('m.report.sending') : tr('m.report.submit')}
        </button>
      </div>
    </form>
  );
}
