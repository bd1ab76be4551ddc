import { useEffect, useState } from 'react';
import { FormError, PasswordField, useSubmit } from '../forms.js';
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
  useEffect(markUsable, []);
  const { onSubmit, error, busy } = useSubmit(() => login(username.trim(), password));
  return (
    <div className="login">
      <div className="brand">
        <img src="/m/icon.svg" alt="" width="64" height="64" />
        <h1>{tr('m.appName')}</h1>
        <p className="muted vtext">{tr('m.login.tagline')}</p>
      </div>
      <form onSubmit={onSubmit} className="card">
        <Field label={tr('m.login.username')}>
          <input
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            inputMode="tel"
            required
          />
        </Field>
        <PasswordField
          label={tr('m.login.password')}
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
        />
        <FormError error={error} />
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
