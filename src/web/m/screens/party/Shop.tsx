import { useState } from 'react';
import { useT } from '../../i18n.js';
import { go } from '../../router.js';
import { Header } from '../../ui.js';
import { type Own, type ShopItem, useLoad } from './common.js';

/**
 * 积分超市: what the member's branch and the organisations above it offer. Redemption happens at the
 * counter (staff confirm it and the points and stock change together), so choosing an item here
 * gives the slip to show there.
 */
export default function Shop({ own, back }: { own: Own; back: () => void }) {
  const tr = useT();
  const items = useLoad<ShopItem[]>('/api/party/me/shop');
  const [chosen, setChosen] = useState<ShopItem | null>(null);
  if (chosen)
    return (
      <div>
        <Header title={tr('m.party.slipTitle')} back={() => setChosen(null)} />
        <section className="card notice" data-testid="redeem-slip">
          <h2>{chosen.name}</h2>
          <p>{tr('m.party.slipMember', { name: own.name, branch: own.partyOrgName })}</p>
          <p>{tr('m.party.slipItem', { item: chosen.name, price: chosen.price })}</p>
          <p>{tr('m.party.slipBalance', { balance: own.balance, after: own.balance - chosen.price })}</p>
          <p className="muted small">{tr('m.party.slipHint')}</p>
        </section>
        <div className="pad">
          <button type="button" className="btn block" onClick={() => go('/party/passbook')}>
            {tr('m.party.slipDone')}
          </button>
        </div>
      </div>
    );
  return (
    <div>
      <Header title={tr('m.party.shop')} back={back} />
      {items.stale && <p className="banner">{tr('m.offlineSaved')}</p>}
      {items.error && <p className="error pad">{items.error}</p>}
      <p className="pad muted">
        {tr('m.party.balance')} {tr('m.party.points', { points: own.balance })}
      </p>
      <ul className="list" aria-label={tr('m.party.shop')}>
        {items.data?.map((i) => {
          const short = i.price - own.balance;
          return (
            <li key={i.id}>
              <div className="row-button">
                <span className="grow">
                  <strong>{i.name}</strong>
                  <span className="muted small">
                    {tr('m.party.price', { price: i.price })} · {tr('m.party.stock', { stock: i.stock })}
                    {i.supplier ? ` · ${i.supplier}` : ''}
                  </span>
                </span>
                {short > 0 ? (
                  <span className="chip">{tr('m.party.short', { need: short })}</span>
                ) : (
                  <button
                    type="button"
                    className="btn primary"
                    disabled={i.stock < 1}
                    aria-label={`${tr('m.party.choose')} ${i.name}`}
                    onClick={() => setChosen(i)}
                  >
                    {tr('m.party.choose')}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {items.data && !items.data.length && <p className="muted pad">{tr('m.party.shopEmpty')}</p>}
    </div>
  );
}
