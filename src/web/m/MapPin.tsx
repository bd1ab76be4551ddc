import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef, useState } from 'react';
import { createMap } from '../shared/leaflet-map.js';
import { api } from './api.js';
import { useT } from './i18n.js';

interface MapConfig {
  tileUrl: string | null;
  attribution: string | null;
  crs: 'WGS84' | 'GCJ02';
}
export interface Point {
  lng: number;
  lat: number;
}

/** Where the map opens when there is no position and no grid to show (Dongsheng, as the console). */
const fallbackCentre: Point = { lng: 109.95, lat: 39.8 };

/**
 * A plain coordinate plane for deployments without a tile server: light lines on each tile with
 * the longitude and latitude of its corner, so a pin can still be put "two blocks east of here".
 */
const Plane = L.GridLayer.extend({
  createTile(this: L.GridLayer, coords: L.Coords) {
    const tile = document.createElement('canvas');
    const size = this.getTileSize();
    tile.width = size.x;
    tile.height = size.y;
    const c = tile.getContext('2d')!;
    c.strokeStyle = '#d8d2c4';
    c.strokeRect(0, 0, size.x, size.y);
    const corner = (this as any)._map.unproject(coords.scaleBy(size), coords.z) as L.LatLng;
    c.fillStyle = '#8a8170';
    c.font = '11px sans-serif';
    c.fillText(`${corner.lng.toFixed(4)}, ${corner.lat.toFixed(4)}`, 4, 14);
    return tile;
  },
});

const pinIcon = L.divIcon({
  className: 'pin-icon',
  html: '<svg viewBox="0 0 24 36" width="32" height="48" aria-hidden="true"><path d="M12 0C5 0 0 5 0 12c0 9 12 24 12 24s12-15 12-24C24 5 19 0 12 0z" fill="#c0392b"/><circle cx="12" cy="12" r="5" fill="#fff"/></svg>',
  iconSize: [32, 48],
  iconAnchor: [16, 48],
});

/**
 * The map-pin fallback for 随手拍 when the phone cannot say where it is: tap the map or drag the pin.
 * Tiles only when the server has a tile URL (`/api/map-config`, as the console's GridMap); without
 * one, the grid outlines the caller may read over a coordinate plane, around the phone's last
 * position, the grids, or the community's centre. Loaded (with Leaflet) only when opened.
 */
export default function MapPin({
  start,
  communityId,
  onPick,
  onCancel,
}: {
  start: Point | null;
  communityId?: string;
  onPick: (p: Point) => void;
  onCancel: () => void;
}) {
  const tr = useT();
  const el = useRef<HTMLDivElement>(null);
  const [pin, setPin] = useState<Point | null>(null);
  const [plain, setPlain] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is made once per opening
  useEffect(() => {
    const { map, dispose } = createMap(el.current!, {
      attributionControl: false,
      maxZoom: 19,
      center: [fallbackCentre.lat, fallbackCentre.lng],
      zoom: 12,
    });
    let marker: L.Marker | null = null;
    let cancelled = false;
    // Stored points are WGS-84; a GCJ-02 tile provider needs them shifted for display, and back.
    let show = (p: Point): L.LatLngExpression => [p.lat, p.lng];
    let unshow = (ll: L.LatLng): Point => ({ lng: ll.lng, lat: ll.lat });
    const place = (ll: L.LatLng) => {
      if (marker) marker.setLatLng(ll);
      else {
        marker = L.marker(ll, { draggable: true, icon: pinIcon, keyboard: false }).addTo(map);
        marker.on('dragend', () => setPin(unshow(marker!.getLatLng())));
      }
      setPin(unshow(ll));
    };
    map.on('click', (e: L.LeafletMouseEvent) => place(e.latlng));
    (async () => {
      const config = await api<MapConfig>('/api/map-config').catch(
        (): MapConfig => ({ tileUrl: null, attribution: null, crs: 'WGS84' }),
      );
      if (cancelled) return;
      if (config.tileUrl && config.crs === 'GCJ02') {
        const gcoord = (await import('gcoord')).default;
        show = (p) => {
          const [lng, lat] = gcoord.transform([p.lng, p.lat], gcoord.WGS84, gcoord.GCJ02);
          return [lat, lng];
        };
        unshow = (ll) => {
          const [lng, lat] = gcoord.transform([ll.lng, ll.lat], gcoord.GCJ02, gcoord.WGS84);
          return { lng, lat };
        };
      }
      if (config.tileUrl)
        L.tileLayer(config.tileUrl, { attribution: config.attribution ?? '', maxZoom: 19 }).addTo(map);
      else {
        new Plane().addTo(map);
        setPlain(true);
      }
      // Grid outlines, for those who may read them (staff); a resident gets 403 and none.
      const grids = await api<any>('/api/grids/geojson?buildings=0').catch(() => null);
      if (cancelled) return;
      let bounds: L.LatLngBounds | null = null;
      if (grids?.features?.length) {
        const layer = L.geoJSON(grids, {
          coordsToLatLng: (c: number[]) => L.latLng(show({ lng: c[0], lat: c[1] }) as [number, number]),
          style: () => ({ color: '#1677ff', weight: 1.5, fillOpacity: 0.08 }),
          interactive: false,
        }).addTo(map);
        if (layer.getBounds().isValid()) bounds = layer.getBounds();
      }
      let centre = start;
      if (!centre && !bounds && communityId) {
        const [c] = await api<{ centre: Point | null }[]>(`/api/public/communities?id=${communityId}`).catch(
          () => [],
        );
        centre = c?.centre ?? null;
      }
      if (cancelled) return;
      if (centre) map.setView(show(centre), 16);
      else if (bounds) map.fitBounds(bounds, { padding: [8, 8] });
      if (start) place(L.latLng(show(start) as [number, number]));
      el.current?.setAttribute('data-ready', 'true');
    })();
    return () => {
      cancelled = true;
      dispose();
    };
  }, []);

  return (
    <div className="map-pin">
      <p className="muted small">{tr(plain ? 'm.map.noTiles' : 'm.map.hint')}</p>
      <div
        ref={el}
        className="map"
        data-testid="pin-map"
        data-lng={pin?.lng}
        data-lat={pin?.lat}
        role="application"
        aria-label={tr('m.map.title')}
      />
      <p className="small" data-testid="pin-coords">
        {pin ? tr('m.map.coords', { lng: pin.lng.toFixed(6), lat: pin.lat.toFixed(6) }) : tr('m.map.hint')}
      </p>
      <div className="row">
        <button type="button" className="btn primary grow" disabled={!pin} onClick={() => pin && onPick(pin)}>
          {tr('m.map.use')}
        </button>
        <button type="button" className="btn ghost" onClick={onCancel}>
          {tr('m.map.cancel')}
        </button>
      </div>
    </div>
  );
}
