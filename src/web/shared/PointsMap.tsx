import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { api } from './api.js';
import { mapConfig, toDisplay } from './GridMap.js';
import { escapeHtml } from './html.js';

export interface MapPoint {
  id: string;
  lng: number;
  lat: number;
  color: string;
  label: string;
}

/**
 * Points (dots, no marker images) over the grid outlines of a subtree. GridMap draws grids and
 * buildings; this draws what happens in them. Without a tile server the map draws on a plain
 * background; without `org.read` over the subtree the dots alone are drawn.
 */
export function PointsMap({
  points,
  orgUnitId,
  height = 420,
  onSelect,
}: {
  points: MapPoint[];
  orgUnitId?: string;
  height?: number;
  onSelect?: (id: string) => void;
}) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const map = L.map(el.current, { preferCanvas: true, zoomSnap: 0.25, attributionControl: false });
    map.setView([39.8, 109.95], 11);
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
      const grids = await api<any>(
        `/api/grids/geojson?buildings=0${orgUnitId ? `&orgUnitId=${orgUnitId}` : ''}`,
      ).catch(() => null);
      if (cancelled) return;
      let bounds = L.latLngBounds([]);
      if (grids?.features?.length) {
        const outlines = L.geoJSON(
          toDisplay(config, {
            ...grids,
            features: grids.features.filter((f: any) => f.geometry?.type !== 'Point'),
          }),
          { style: () => ({ color: '#8c8c8c', weight: 0.8, fillOpacity: 0.05 }) },
        ).addTo(map);
        bounds = outlines.getBounds();
      }
      for (const p of points) {
        const [lng, lat] = toDisplay(config, { type: 'Point', coordinates: [p.lng, p.lat] }).coordinates;
        const dot = L.circleMarker([lat, lng], { radius: 5, color: p.color, weight: 1, fillOpacity: 0.75 })
          .bindTooltip(escapeHtml(p.label))
          .addTo(map);
        dot.on('click', () => onSelect?.(p.id));
        bounds.extend([lat, lng]);
      }
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 16 });
      el.current?.setAttribute('data-points', String(points.length));
    })();
    return () => {
      cancelled = true;
      map.remove();
    };
  }, [points, orgUnitId, onSelect]);
  return (
    <div
      ref={el}
      data-testid="points-map"
      style={{ height, background: '#f4f1ea', borderRadius: 8, zIndex: 0 }}
    />
  );
}
