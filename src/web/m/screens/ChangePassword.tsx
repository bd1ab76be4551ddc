import { useEffect, useState } from 'react';
import { ApiError, api } from '../api.js';
import { useT } from '../i18n.js';
import { logout, passwordChanged } from '../session.js';
import { Field, markUsable } from '../ui.js';

/** Signed in with a reset or generated password: the only thing the server allows is choosing a new one. */
export default function ChangePassword() {
  const tr = useT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(markUsable, []);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    if (next !== confirm) return setError(tr('m.password.mismatch'));
    setBusy(true);
    try {
      await api('/api/auth/password', { json: { current, next } });
      await passwordChanged();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="login">
      <form onSubmit={submit} className="card" aria-label={tr('m.password.title')}>
        <h2>{tr('m.password.title')}</h2>
        <p className="muted">{tr('m.password.hint')}</p>
        <Field label={tr('m.password.current')}>
          <input
            type="password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            autoComplete="current-password"
            required
          />
        </Field>
        <Field label={tr('m.password.next')} hint={tr('m.password.policy')}>
          <input
            type="password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            autoComplete="new-password"
            required
          />
        </Field>
        <Field label={tr('m.password.confirm')}>
          <input
            type="password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            autoComplete="new-password"
            required
          />
        </Field>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn primary big" disabled={busy}>
          {tr('m.password.submit')}
        </button>
        <button type="button" className="btn big ghost" onClick={() => void logout()}>
          {tr('m.password.logout')}
        </button>
      </form>
    </div>
  );
}
