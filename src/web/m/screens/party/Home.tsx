import { useT } from '../../i18n.js';
import { go } from '../../router.js';
import { Header } from '../../ui.js';
import CheckIn from './CheckIn.js';
import Claim from './Claim.js';
import { type Own, useLoad } from './common.js';
import Passbook from './Passbook.js';
import Published from './Published.js';
import Shop from './Shop.js';

const links = [
  ['/party/passbook', 'm.party.passbook', '折'],
  ['/party/shop', 'm.party.shop', '兑'],
  ['/party/published', 'm.party.published', '榜'],
  ['/party/claim', 'm.party.claim', '报'],
  ['/party/check-in', 'm.checkIn.title', '到'],
] as const;

/** 党员积分 (a party member's phone): their branch and balance, and the four things they do with points. */
export default function PartyScreens({ path }: { path: string }) {
  const tr = useT();
  const own = useLoad<Own>('/api/party/me');
  if (own.error && !own.data)
    return (
      <div>
        <Header title={tr('m.party.title')} />
        <p className="muted pad">{/404|不存在/.test(own.error) ? tr('m.party.notMember') : own.error}</p>
      </div>
    );
  if (!own.data) return <p className="muted pad">{tr('m.loading')}</p>;
  const back = () => go('/party');
  if (path === '/party/passbook') return <Passbook back={back} />;
  if (path === '/party/shop') return <Shop own={own.data} back={back} />;
  if (path === '/party/published') return <Published own={own.data} back={back} />;
  if (path === '/party/claim') return <Claim back={back} />;
  if (path === '/party/check-in') return <CheckIn back={back} />;
  return (
    <div>
      <Header title={tr('m.party.title')} />
      {own.stale && <p className="banner">{tr('m.offlineSaved')}</p>}
      <section className="card" data-testid="party-summary">
        <div className="row between">
          <span className="muted">{tr('m.party.branch')}</span>
          <strong>{own.data.partyOrgName}</strong>
        </div>
        <div className="row between">
          <span className="muted">{tr('m.party.balance')}</span>
          <strong className="big-number" data-testid="party-balance">
            {tr('m.party.points', { points: own.data.balance })}
          </strong>
        </div>
      </section>
      <div className="tiles pad">
        {links.map(([to, label, glyph]) => (
          <button key={to} type="button" className="tile" onClick={() => go(to)}>
            <span className="tile-icon" aria-hidden="true">
              {glyph}
            </span>
            {tr(label)}
          </button>
        ))}
      </div>
    </div>
  );
}
