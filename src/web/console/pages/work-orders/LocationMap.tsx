import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { api } from '../../../shared/api.js';
import { mapConfig, toDisplay } from '../../../shared/GridMap.js';

/**
 * Where a work order is: its point (a dot — no marker images needed) over the outline of its grid.
 * Tiles only when a tile server is configured; offline the outline and the dot are drawn on a plain
 * background. The grid outline needs `org.read` over the place; without it the dot alone is drawn.
 */
export function LocationMap({
  lng,
  lat,
  placeId,
  height = 260,
}: {
  lng: number | null;
  lat: number | null;
  placeId: string;
  height?: number;
}) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const map = L.map(el.current, { zoomSnap: 0.25, attributionControl: false });
    map.setView([lat ?? 39.8, lng ?? 109.95], lat ? 16 : 12);
    let cancelled = false;
    (async () => {
      const config = await mapConfig().catch(() => ({
        tileUrl: null,
        attribution: null,
        crs: 'WGS84' as const,
      }));
      if (cancelled) return;
      if (config.tileUrl)
        L.tileLayer(config.tileUrl, { attribution: config.attribution ?? '', maxZoom: 19 }).addTo(map);
      let bounds: L.LatLngBounds | null = null;
      const grid = await api<any>(`/api/grids/geojson?buildings=0&orgUnitId=${placeId}`).catch(() => null);
      if (cancelled) return;
      if (grid?.features?.length) {
        const polygons = {
          ...grid,
          features: grid.features.filter((f: any) => f.geometry?.type !== 'Point'),
        };
        const layer = L.geoJSON(toDisplay(config, polygons), {
          style: () => ({ color: '#1677ff', weight: 1.5, fillOpacity: 0.12 }),
        }).addTo(map);
        if (layer.getBounds().isValid()) bounds = layer.getBounds();
      }
      if (lng !== null && lat !== null) {
        const point = toDisplay(config, { type: 'Point', coordinates: [lng, lat] }).coordinates;
        L.circleMarker([point[1], point[0]], {
          radius: 8,
          color: '#c0392b',
          weight: 2,
          fillOpacity: 0.8,
        }).addTo(map);
        map.setView([point[1], point[0]], 16);
      } else if (bounds) map.fitBounds(bounds, { padding: [12, 12] });
      el.current?.setAttribute('data-ready', 'true');
    })();
    return () => {
      cancelled = true;
      map.remove();
    };
  }, [lng, lat, placeId]);
  return (
    <div
      ref={el}
      data-testid="wo-map"
      style={{ height, background: '#f4f1ea', borderRadius: 8, zIndex: 0 }}
    />
  );
}
