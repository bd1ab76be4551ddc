import { useEffect, useRef, useState } from 'react';
import { ApiError, api, getCached } from '../api.js';
import { useT } from '../i18n.js';
import { go } from '../router.js';
import { Field, Header, markUsable } from '../ui.js';

interface MyGrid {
  grids: {
    id: string;
    name: string;
    houses: number;
    residents: { total: number; elderly: number; child: number };
    buildings: { id: string; code: string; name: string; houses: number; residents: number }[];
  }[];
}

/** Opens the building a QR code or a typed code names (within my reach), or says why not. */
export async function openBuilding(q: { qr?: string; code?: string }): Promise<string | null> {
  const params = new URLSearchParams(q.qr ? { qr: q.qr } : { code: q.code ?? '' });
  try {
    const b = await api<{ id: string }>(`/api/buildings/lookup?${params}`);
    go(`/building/${b.id}`);
    return null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return 'm.scan.notFound';
    if (err instanceof ApiError && err.offline) return 'm.offline';
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * 我的网格 (grid worker): scan a building's QR code (camera, or a photo of it), or type its code,
 * to open its houses and residents; below, the buildings of my grid.
 */
export default function Grid() {
  const tr = useT();
  const [data, setData] = useState<MyGrid | null>(null);
  const [stale, setStale] = useState(false);
  const [scanning, setScanning] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    getCached<MyGrid>('/api/my-grid')
      .then(({ data, stale }) => {
        setData(data);
        setStale(stale);
        requestAnimationFrame(markUsable);
      })
      .catch((err) => setError(err.message));
  }, []);

  const found = async (q: { qr?: string; code?: string }) => {
    setBusy(true);
    const problem = await openBuilding(q);
    setBusy(false);
    if (problem) setError(problem.startsWith('m.') ? tr(problem as 'm.scan.notFound') : problem);
  };

  // The camera runs while the scan view is open; ZXing is fetched only now.
  // biome-ignore lint/correctness/useExhaustiveDependencies: restarts only when the view opens
  useEffect(() => {
    if (!scanning || !video.current) return;
    let stop: (() => void) | null = null;
    let cancelled = false;
    import('../scan.js')
      .then(({ scanFromCamera }) =>
        scanFromCamera(video.current!, (text) => {
          setScanning(false);
          void found({ qr: text });
        }),
      )
      .then((s) => {
        if (cancelled) s();
        else stop = s;
      })
      .catch(() => {
        setScanning(false);
        setError(tr('m.scan.noCamera'));
      });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [scanning]);

  const pickPhoto = async (e: React.ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setError(null);
    setBusy(true);
    try {
      const { scanFromImage } = await import('../scan.js');
      const text = await scanFromImage(file);
      if (text) await found({ qr: text });
      else setError(tr('m.scan.unreadable'));
    } catch {
      setError(tr('m.scan.unreadable'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <Header title={tr('m.grid.title')} />
      {stale && <p className="banner">{tr('m.offlineSaved')}</p>}
      <section className="card">
        <h2>{tr('m.scan.title')}</h2>
        {scanning ? (
          <div className="scanner">
            {/* biome-ignore lint/a11y/useMediaCaption: a live camera preview has no speech */}
            <video ref={video} playsInline muted />
            <button type="button" className="btn big block" onClick={() => setScanning(false)}>
              {tr('m.scan.stop')}
            </button>
          </div>
        ) : (
          <div className="photo-buttons">
            <button
              type="button"
              className="btn big primary"
              onClick={() => {
                setError(null);
                setScanning(true);
              }}
            >
              {tr('m.scan.camera')}
            </button>
            <label className="btn big ghost" htmlFor="qr-photo">
              {tr('m.scan.photo')}
            </label>
            <input
              id="qr-photo"
              className="hidden-input"
              type="file"
              accept="image/*"
              aria-label={tr('m.scan.photo')}
              data-testid="qr-photo-input"
              onChange={pickPhoto}
            />
          </div>
        )}
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            setError(null);
            if (code.trim()) void found({ code: code.trim() });
          }}
        >
          <span className="grow">
            <Field label={tr('m.scan.code')} hint={tr('m.scan.codeHint')}>
              <input value={code} onChange={(e) => setCode(e.target.value)} autoCapitalize="characters" />
            </Field>
          </span>
          <button type="submit" className="btn" disabled={busy}>
            {tr('m.scan.open')}
          </button>
        </form>
        {busy && <p className="muted">{tr('m.loading')}</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>

      {data?.grids.map((g) => (
        <section key={g.id} className="card">
          <h2>{g.name}</h2>
          <p className="muted small">
            {tr('m.grid.summary', {
              houses: g.houses,
              residents: g.residents.total,
              elderly: g.residents.elderly,
            })}
          </p>
          <ul className="list" aria-label={g.name}>
            {g.buildings.map((b) => (
              <li key={b.id}>
                <button type="button" className="row-button" onClick={() => go(`/building/${b.id}`)}>
                  <span className="grow">
                    <strong>{b.name}</strong>
                    <span className="muted small">
                      {b.code} · {tr('m.grid.buildingSummary', { houses: b.houses, residents: b.residents })}
                    </span>
                  </span>
                  <span aria-hidden="true">›</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {data && !data.grids.length && <p className="muted pad">{tr('m.grid.empty')}</p>}
    </div>
  );
}
