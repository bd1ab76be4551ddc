import { useT } from '../../i18n.js';
import { formatTime, Header } from '../../ui.js';
import { type Line, useLoad } from './common.js';

/** 积分存折: every line in and out, newest first, with the balance after it. */
export default function Passbook({ back }: { back: () => void }) {
  const tr = useT();
  const book = useLoad<{ balance: number; items: Line[]; total: number }>(
    '/api/party/me/passbook?pageSize=100',
  );
  return (
    <div>
      <Header title={tr('m.party.passbook')} back={back} />
      {book.stale && <p className="banner">{tr('m.offlineSaved')}</p>}
      {book.error && <p className="error pad">{book.error}</p>}
      {book.data && (
        <section className="card row between">
          <span className="muted">{tr('m.party.balance')}</span>
          <strong data-testid="passbook-balance">
            {tr('m.party.points', { points: book.data.balance })}
          </strong>
        </section>
      )}
      <ul className="list" aria-label={tr('m.party.passbook')} data-testid="passbook-lines">
        {book.data?.items.map((l) => (
          <li key={l.id}>
            <div className="row-button">
              <span className="grow">
                <strong>{l.memo}</strong>
                <span className="muted small">
                  {tr(`m.party.kind.${l.kind}`)} · {formatTime(l.createdAt)} ·{' '}
                  {tr('m.party.balanceAfter', { balance: l.balanceAfter })}
                </span>
              </span>
              <strong className={l.amount < 0 ? 'error' : 'ok'}>
                {l.amount > 0 ? `+${l.amount}` : l.amount}
              </strong>
            </div>
          </li>
        ))}
      </ul>
      {book.data && !book.data.items.length && <p className="muted pad">{tr('m.party.passbookEmpty')}</p>}
    </div>
  );
}
