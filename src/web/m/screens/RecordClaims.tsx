import { useState } from 'react';
import { api } from '../api.js';
import { useT } from '../i18n.js';
import { useLoad } from './party/common.js';

interface Claim {
  id: string;
  memberName: string;
  itemName: string;
  month: string;
  points: number;
  note: string | null;
}

/** The branch's claims waiting for the recorder: confirm, or refuse with a reason. */
export function Claims({ orgId }: { orgId: string }) {
  const tr = useT();
  const claims = useLoad<Claim[]>(`/api/party/claims?partyOrgId=${orgId}`);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const decide = async (c: Claim, approve: boolean) => {
    setError(null);
    try {
      await api(`/api/party/claims/${c.id}/${approve ? 'confirm' : 'refuse'}`, {
        method: 'POST',
        json: approve ? undefined : { reason: reasons[c.id] ?? '' },
      });
      await claims.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  if (!claims.data?.length) return null;
  return (
    <section className="card" aria-label={tr('m.record.claims', { count: claims.data.length })}>
      <h2>{tr('m.record.claims', { count: claims.data.length })}</h2>
      {error && <p className="error">{error}</p>}
      <ul className="plain">
        {claims.data.map((c) => (
          <li key={c.id}>
            <strong>
              {c.memberName} · {c.itemName} {c.points > 0 ? `+${c.points}` : c.points}
            </strong>
            <div className="muted small">
              {c.month} · {c.note ?? ''}
            </div>
            <div className="row">
              <button type="button" className="btn primary" onClick={() => decide(c, true)}>
                {tr('m.record.confirm')}
              </button>
              <input
                aria-label={tr('m.record.refuseReason')}
                placeholder={tr('m.record.refuseReason')}
                value={reasons[c.id] ?? ''}
                onChange={(e) => setReasons({ ...reasons, [c.id]: e.target.value })}
              />
              <button
                type="button"
                className="btn danger"
                disabled={(reasons[c.id] ?? '').trim().length < 2}
                onClick={() => decide(c, false)}
              >
                {tr('m.record.refuse')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
