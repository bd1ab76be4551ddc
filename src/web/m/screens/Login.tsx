import { useEffect, useState } from 'react';
import { ApiError } from '../api.js';
import { useT } from '../i18n.js';
import { setElderly, useElderly } from '../prefs.js';
import { go } from '../router.js';
import { login } from '../session.js';
import { Field, LanguageChoices, markUsable } from '../ui.js';

export default function Login() {
  const tr = useT();
  const elderly = useElderly();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(markUsable, []);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await login(username.trim(), password);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="login">
      <div className="brand">
        <img src="/m/icon.svg" alt="" width="64" height="64" />
        <h1>{tr('m.appName')}</h1>
        <p className="muted vtext">{tr('m.login.tagline')}</p>
      </div>
      <form onSubmit={submit} className="card">
        <Field label={tr('m.login.username')}>
          <input
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            inputMode="tel"
            required
          />
        </Field>
        <Field label={tr('m.login.password')}>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
          />
        </Field>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn primary big" disabled={busy}>
          {tr('m.login.submit')}
        </button>
        <button type="button" className="btn big ghost" onClick={() => go('/register')}>
          {tr('m.login.toRegister')}
        </button>
      </form>
      <div className="row center">
        <button type="button" className="link" onClick={() => setElderly(!elderly)}>
          {elderly ? tr('m.elderly.off') : tr('m.elderly.on')}
        </button>
      </div>
      <LanguageChoices compact />
    </div>
  );
}
