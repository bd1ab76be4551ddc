import { type ReactNode, useEffect, useId, useState } from 'react';
import { getLocale, locales, type MobileKey, setLocale, useT } from './i18n.js';
import { compressPhoto } from './photo.js';

/**
 * Marks the moment the first screen can be used (a form to fill, a list to tap): the slow-3G bench
 * (bench/mobile.bench.ts) reads this mark. Only the first call counts.
 */
export function markUsable() {
  if (performance.getEntriesByName('m-usable').length > 0) return;
  performance.mark('m-usable');
  window.dispatchEvent(new Event('m-usable'));
}

export function Header({ title, back }: { title: string; back?: () => void }) {
  const tr = useT();
  return (
    <header className="header">
      {back && (
        <button type="button" className="back" onClick={back} aria-label={tr('m.back')}>
          ‹
        </button>
      )}
      <h1>{title}</h1>
    </header>
  );
}

export function StatusChip({ status }: { status: string }) {
  const tr = useT();
  return <span className={`chip s-${status}`}>{tr(`m.status.${status}` as MobileKey)}</span>;
}

export function PendingChip() {
  const tr = useT();
  return <span className="chip pending">{tr('m.pending')}</span>;
}

/** Beijing time whatever the phone's own zone (a traveller's phone, a headless browser in UTC). */
export const formatTime = (iso: string | number) =>
  new Date(iso).toLocaleString(getLocale(), {
    timeZone: 'Asia/Shanghai',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

/** A label above its control (never beside it: vertical scripts and large type need the room). */
export function Field({
  label,
  children,
  hint,
  error,
}: {
  label: string;
  children: ReactNode;
  hint?: ReactNode;
  /** What is wrong with this field, shown under it. */
  error?: string | null;
}) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child
    <label className={error ? 'field invalid' : 'field'}>
      <span className="label">{label}</span>
      {children}
      {hint && <span className="hint">{hint}</span>}
      <FieldError error={error} />
    </label>
  );
}

/** A field's error, under the field it is about (every wrong field at once, not one at the bottom). */
export function FieldError({ error }: { error?: string | null }) {
  return error ? (
    <span className="field-error" role="alert">
      {error}
    </span>
  ) : null;
}

/**
 * Take a photo (camera) or pick one (album); it is compressed to ≤ 300 KB before anything else.
 * Shows a preview and the compressed size.
 */
export function PhotoPicker({ value, onChange }: { value: Blob | null; onChange: (b: Blob | null) => void }) {
  const tr = useT();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const url = usePreview(value);
  const pick = async (e: React.ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setBusy(true);
    setFailed(false);
    try {
      onChange(await compressPhoto(file));
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="photo">
      {url ? (
        <div className="preview">
          <img src={url} alt={tr('m.photo.preview')} />
          <span className="muted">{tr('m.photo.size', { kb: Math.round((value?.size ?? 0) / 1024) })}</span>
          <button type="button" className="link" onClick={() => onChange(null)}>
            {tr('m.photo.remove')}
          </button>
        </div>
      ) : (
        <div className="photo-buttons">
          <label className="btn big" htmlFor={`${id}-camera`}>
            {tr('m.photo.take')}
          </label>
          <input
            id={`${id}-camera`}
            className="hidden-input"
            type="file"
            accept="image/*"
            capture="environment"
            onChange={pick}
          />
          <label className="btn big ghost" htmlFor={`${id}-album`}>
            {tr('m.photo.pick')}
          </label>
          <input
            id={`${id}-album`}
            className="hidden-input"
            type="file"
            accept="image/*"
            aria-label={tr('m.photo.pick')}
            data-testid="photo-input"
            onChange={pick}
          />
        </div>
      )}
      {busy && <p className="muted">{tr('m.photo.compressing')}</p>}
      {failed && <p className="error">{tr('m.photo.failed')}</p>}
    </div>
  );
}

export function usePreview(blob: Blob | null | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) {
      setUrl(null);
      return;
    }
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  return url;
}

/** A short message at the bottom that goes away by itself. */
export function useToast(): [ReactNode, (msg: string) => void] {
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => {
    if (!msg) return;
    const t = setTimeout(() => setMsg(null), 4000);
    return () => clearTimeout(t);
  }, [msg]);
  return [
    msg ? (
      <div key="toast" className="toast" role="status">
        {msg}
      </div>
    ) : null,
    setMsg,
  ];
}

/** The language switch: each language named in itself (ᠮᠣᠩᠭᠣᠯ is the traditional script). */
export function LanguageChoices({ compact }: { compact?: boolean }) {
  const tr = useT();
  const current = getLocale();
  return (
    <fieldset className={compact ? 'row center bare' : 'choices bare'} aria-label={tr('m.language')}>
      {locales.map((l) => (
        <button
          key={l.code}
          type="button"
          lang={l.code}
          aria-pressed={current === l.code}
          className={compact ? 'link' : current === l.code ? 'choice on' : 'choice'}
          onClick={() => setLocale(l.code)}
        >
          {l.name}
        </button>
      ))}
    </fieldset>
  );
}
