import { Fragment, useEffect, useState } from 'react';
import { getCached } from '../api.js';
import { type MobileKey, useT } from '../i18n.js';
import { go } from '../router.js';
import { Header, markUsable } from '../ui.js';
import { openBuilding } from './Grid.js';

interface BuildingInfo {
  id: string;
  code: string;
  name: string;
  address: string | null;
  units: number;
  floors: number;
}
interface House {
  id: string;
  unit: number | null;
  floor: number | null;
  room: string | null;
  address: string;
  use: string;
}
export interface ResidentRow {
  id: string;
  name: string;
  gender: 'male' | 'female';
  age: number;
  phone: string | null;
  tags: string[];
  houseId: string | null;
  relation: string | null;
  status: string;
}

/** A QR code opened with the phone's own camera app lands on /m/b/<token>: find its building. */
export function BuildingByToken({ token }: { token: string }) {
  const tr = useT();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    openBuilding({ qr: token }).then((problem) => {
      if (problem) setError(problem.startsWith('m.') ? tr(problem as MobileKey) : problem);
      else markUsable();
    });
  }, [token, tr]);
  return (
    <div>
      <Header title={tr('m.building.title')} back={() => go('/grid')} />
      <p className={error ? 'error pad' : 'muted pad'}>{error ?? tr('m.loading')}</p>
    </div>
  );
}

/** Unit by unit, floor by floor, rooms in number order ("1001" after "902"), not as addresses sort. */
const byRoom = (a: House, b: House) =>
  (a.unit ?? 999) - (b.unit ?? 999) ||
  (a.floor ?? 999) - (b.floor ?? 999) ||
  (a.room ?? a.address).localeCompare(b.room ?? b.address, 'zh', { numeric: true });

/** Every page of a list, 200 a request: a high-rise has more houses and people than one page holds. */
async function allPages<T>(path: string) {
  const items: T[] = [];
  let stale = false;
  for (let page = 1; ; page++) {
    const r = await getCached<{ items: T[]; total: number }>(`${path}&pageSize=200&page=${page}`);
    items.push(...r.data.items);
    stale ||= r.stale;
    if (r.data.items.length < 200 || items.length >= r.data.total) return { items, stale };
  }
}

/** 楼栋: its houses, room by room, with the people living in each; a tap opens a resident. */
export default function Building({ id }: { id: string }) {
  const tr = useT();
  const [info, setInfo] = useState<BuildingInfo | null>(null);
  const [houses, setHouses] = useState<House[]>([]);
  const [people, setPeople] = useState<ResidentRow[]>([]);
  const [stale, setStale] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    Promise.all([
      getCached<BuildingInfo>(`/api/buildings/${id}`),
      allPages<House>(`/api/houses?buildingId=${id}&sort=address`),
      allPages<ResidentRow>(`/api/residents?orgUnitId=${id}&sort=name`),
    ])
      .then(([b, h, r]) => {
        setInfo(b.data);
        setHouses(h.items.sort(byRoom));
        setPeople(r.items);
        setStale(b.stale || h.stale || r.stale);
        requestAnimationFrame(markUsable);
      })
      .catch((err) => setError(err.message));
  }, [id]);

  const byHouse = new Map<string, ResidentRow[]>();
  for (const p of people) {
    const list = byHouse.get(p.houseId ?? '') ?? [];
    list.push(p);
    byHouse.set(p.houseId ?? '', list);
  }
  const roomName = (h: House) =>
    h.room ? tr('m.building.room', { unit: h.unit ?? '-', room: h.room }) : h.address.slice(-20);
  return (
    <div>
      <Header title={info?.name ?? tr('m.building.title')} back={() => go('/grid')} />
      {stale && <p className="banner">{tr('m.offlineSaved')}</p>}
      {error && <p className="error pad">{error}</p>}
      {info && (
        <section className="card">
          <p className="muted small">
            {info.code}
            {info.address ? ` · ${info.address}` : ''}
          </p>
          <p>{tr('m.building.summary', { houses: houses.length, residents: people.length })}</p>
        </section>
      )}
      {houses.map((h, i) => (
        <Fragment key={h.id}>
          {h.unit !== null && h.unit !== houses[i - 1]?.unit && (
            <h2 className="pad small" data-testid="unit-start">
              {tr('m.building.unit', { unit: h.unit })}
            </h2>
          )}
          <section className="card house" data-testid="house">
            <h2>
              {roomName(h)} <span className="chip">{tr(`m.houseUse.${h.use}` as MobileKey)}</span>
            </h2>
            <ul className="list" aria-label={roomName(h)}>
              {(byHouse.get(h.id) ?? []).map((p) => (
                <li key={p.id}>
                  <button type="button" className="row-button" onClick={() => go(`/resident/${p.id}`)}>
                    <span className="grow">
                      <strong>{p.name}</strong>
                      <span className="muted small">
                        {tr(p.gender === 'male' ? 'm.gender.male' : 'm.gender.female')} ·{' '}
                        {tr('m.resident.age', { n: p.age })}
                        {p.tags.length > 0 &&
                          ` · ${p.tags.map((t) => tr(`m.tag.${t}` as MobileKey)).join('、')}`}
                      </span>
                    </span>
                    <span aria-hidden="true">›</span>
                  </button>
                </li>
              ))}
              {!byHouse.get(h.id)?.length && <li className="muted small">{tr('m.building.empty')}</li>}
            </ul>
          </section>
        </Fragment>
      ))}
    </div>
  );
}
