import L from 'leaflet';
import { useEffect, useRef, useState } from 'react';
import { api } from './api.js';
import { type MapConfig, mapConfig, toDisplay } from './GridMap.js';
import { escapeHtml } from './html.js';
import { useLeafletMap } from './leaflet-map.js';

export interface MapPoint {
  id: string;
  lng: number;
  lat: number;
  color: string;
  label: string;
}

const noTiles: MapConfig = { tileUrl: null, attribution: null, crs: 'WGS84' };

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
  const { el, map } = useLeafletMap({ preferCanvas: true, attributionControl: false });
  // Read at click time: a new callback from the parent must not rebuild the layers.
  const select = useRef(onSelect);
  select.current = onSelect;
  const [config, setConfig] = useState<MapConfig | null>(null);
  const [outlines, setOutlines] = useState<L.GeoJSON | null>(null);

  useEffect(() => {
    let cancelled = false;
    mapConfig()
      .catch(() => noTiles)
      .then((c) => !cancelled && setConfig(c));
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    if (!map || !config?.tileUrl) return;
    const tiles = L.tileLayer(config.tileUrl, { attribution: config.attribution ?? '', maxZoom: 19 }).addTo(
      map,
    );
    return () => {
      tiles.remove();
    };
  }, [map, config]);

  useEffect(() => {
    if (!map || !config) return;
    let cancelled = false;
    let layer: L.GeoJSON | null = null;
    api<any>(`/api/grids/geojson?buildings=0${orgUnitId ? `&orgUnitId=${orgUnitId}` : ''}`)
      .catch(() => null)
      .then((grids) => {
        if (cancelled) return;
        layer = L.geoJSON(
          toDisplay(config, {
            type: 'FeatureCollection',
            features: (grids?.features ?? []).filter((f: any) => f.geometry?.type !== 'Point'),
          }),
          { style: () => ({ color: '#8c8c8c', weight: 0.8, fillOpacity: 0.05 }) },
        ).addTo(map);
        setOutlines(layer);
      });
    return () => {
      cancelled = true;
      layer?.remove();
      setOutlines(null);
    };
  }, [map, config, orgUnitId]);

  useEffect(() => {
    if (!map || !config || !outlines) return;
    const dots = L.layerGroup().addTo(map);
    const bounds = outlines.getBounds();
    for (const p of points) {
      const [lng, lat] = toDisplay(config, { type: 'Point', coordinates: [p.lng, p.lat] }).coordinates;
      L.circleMarker([lat, lng], { radius: 5, color: p.color, weight: 1, fillOpacity: 0.75 })
        .bindTooltip(escapeHtml(p.label))
        .on('click', () => select.current?.(p.id))
        .addTo(dots);
      bounds.extend([lat, lng]);
    }
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 16 });
    el.current?.setAttribute('data-points', String(points.length));
    return () => {
      dots.remove();
    };
  }, [map, config, outlines, points, el]);

  return (
    <div
      ref={el}
      data-testid="points-map"
      style={{ height, background: '#f4f1ea', borderRadius: 8, zIndex: 0 }}
    />
  );
}
