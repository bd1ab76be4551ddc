import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { FormError, PasswordField, useSubmit } from '../forms.js';
import { useT } from '../i18n.js';
import { logout, passwordChanged } from '../session.js';
import { markUsable } from '../ui.js';

/** Signed in with a reset or generated password: the only thing the server allows is choosing a new one. */
export default function ChangePassword() {
  const tr = useT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  useEffect(markUsable, []);
  const { onSubmit, error, busy } = useSubmit(
    async () => {
      await api('/api/auth/password', { json: { current, next } });
      await passwordChanged();
    },
    () => (next !== confirm ? tr('m.password.mismatch') : null),
  );
  return (
    <div className="login">
      <form onSubmit={onSubmit} className="card" aria-label={tr('m.password.title')}>
        <h2>{tr('m.password.title')}</h2>
        <p className="muted">{tr('m.password.hint')}</p>
        <PasswordField
          label={tr('m.password.current')}
          value={current}
          onChange={setCurrent}
          autoComplete="current-password"
        />
        <PasswordField
          label={tr('m.password.next')}
          hint={tr('m.password.policy')}
          value={next}
          onChange={setNext}
          autoComplete="new-password"
        />
        <PasswordField
          label={tr('m.password.confirm')}
          value={confirm}
          onChange={setConfirm}
          autoComplete="new-password"
        />
        <FormError error={error} />
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
