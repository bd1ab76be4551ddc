import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { FormError, PasswordField, useSubmit } from '../forms.js';
import { useT } from '../i18n.js';
import { go } from '../router.js';
import { login } from '../session.js';
import { Field, markUsable } from '../ui.js';

interface Community {
  id: string;
  name: string;
  street: string | null;
  district: string | null;
}

/**
 * 居民注册: phone + password + name + ID number + community (searched by name, no login needed).
 * The account can file reports at once; the community confirms who the person is later.
 */
export default function Register() {
  const tr = useT();
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Community[] | null>(null);
  const [community, setCommunity] = useState<Community | null>(null);
  const [done, setDone] = useState(false);
  useEffect(markUsable, []);
  const { onSubmit, error, setError, busy } = useSubmit(
    async () => {
      await api('/api/auth/register', {
        json: {
          phone: phone.trim(),
          password,
          name: name.trim(),
          idNumber: idNumber.trim(),
          communityId: community!.id,
        },
      });
      setDone(true);
    },
    () => (community ? null : tr('m.register.needCommunity')),
  );

  // Searched as the name is typed, a moment after the last key (the endpoint is rate-limited).
  useEffect(() => {
    const text = q.trim();
    if (!text || community?.name === text) return setFound(null);
    const timer = setTimeout(() => {
      api<Community[]>(`/api/public/communities?q=${encodeURIComponent(text)}`)
        .then(setFound)
        .catch((err) => setError(err.message));
    }, 400);
    return () => clearTimeout(timer);
  }, [q, community, setError]);

  if (done)
    return (
      <div className="login">
        <section className="card" data-testid="registered">
          <h2>{tr('m.register.doneTitle')}</h2>
          <p className="vtext">{tr('m.register.pending', { community: community?.name ?? '' })}</p>
          <button
            type="button"
            className="btn primary big block"
            onClick={async () => {
              await login(phone.trim(), password).catch((err) => setError(err.message));
              go('/', true);
            }}
          >
            {tr('m.register.start')}
          </button>
          {error && <p className="error">{error}</p>}
        </section>
      </div>
    );

  return (
    <div className="login">
      <div className="brand">
        <h1>{tr('m.register.title')}</h1>
        <p className="muted vtext">{tr('m.register.intro')}</p>
      </div>
      <form onSubmit={onSubmit} className="card">
        <Field label={tr('m.register.phone')}>
          <input
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            inputMode="tel"
            autoComplete="tel"
            maxLength={11}
            required
          />
        </Field>
        <PasswordField
          label={tr('m.login.password')}
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
        />
        <Field label={tr('m.register.name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" required />
        </Field>
        <Field label={tr('m.register.idNumber')} hint={tr('m.register.idNumberHint')}>
          <input value={idNumber} onChange={(e) => setIdNumber(e.target.value)} maxLength={18} required />
        </Field>
        <Field label={tr('m.register.community')}>
          <input
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setCommunity(null);
            }}
            placeholder={tr('m.register.communityPlaceholder')}
            role="combobox"
            aria-expanded={!!found?.length}
          />
        </Field>
        {found && (
          <ul className="list" aria-label={tr('m.register.community')}>
            {found.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className="row-button"
                  onClick={() => {
                    setCommunity(c);
                    setQ(c.name);
                    setFound(null);
                  }}
                >
                  <span className="grow">
                    <strong>{c.name}</strong>
                    <span className="muted small">{[c.district, c.street].filter(Boolean).join(' · ')}</span>
                  </span>
                </button>
              </li>
            ))}
            {!found.length && <li className="muted small">{tr('m.register.noCommunity')}</li>}
          </ul>
        )}
        {community && (
          <p className="small" data-testid="picked-community">
            {tr('m.register.picked', { name: community.name })}
          </p>
        )}
        <FormError error={error} />
        <button type="submit" className="btn primary big" disabled={busy}>
          {tr('m.register.submit')}
        </button>
        <button type="button" className="link" onClick={() => go('/', true)}>
          {tr('m.register.haveAccount')}
        </button>
      </form>
    </div>
  );
}
