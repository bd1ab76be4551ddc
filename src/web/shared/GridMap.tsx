import gcoord from 'gcoord';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { api } from './api.js';
import { escapeHtml } from './html.js';
import { useLeafletMap } from './leaflet-map.js';

export interface MapConfig {
  tileUrl: string | null;
  attribution: string | null;
  crs: 'WGS84' | 'GCJ02';
}

export const gridColors: Record<string, string> = {
  basic: '#1677ff',
  exclusive: '#d4380d',
  micro: '#389e0d',
  total: '#722ed1',
};

let configPromise: Promise<MapConfig> | null = null;
export const mapConfig = () => (configPromise ??= api<MapConfig>('/api/map-config'));

/** Stored coordinates are WGS-84; Chinese tile providers draw GCJ-02, so convert for them only. */
export function toDisplay(config: MapConfig, geojson: any) {
  return config.crs === 'GCJ02' && config.tileUrl
    ? gcoord.transform(structuredClone(geojson), gcoord.WGS84, gcoord.GCJ02)
    : geojson;
}

/**
 * Grids (coloured by type) and buildings (dots) from `/api/grids/geojson`. With no tile server
 * configured the map still draws on a plain background — many deployments have none.
 */
export function GridMap({
  orgUnitId,
  height = 520,
  onSelect,
}: {
  orgUnitId?: string;
  height?: number;
  onSelect?: (f: any) => void;
}) {
  const { el, map } = useLeafletMap({ preferCanvas: true });
  // Read at click time: a new callback from the parent must not rebuild the layers.
  const select = useRef(onSelect);
  select.current = onSelect;
  useEffect(() => {
    if (!map) return;
    let cancelled = false;
    let layers: L.Layer[] = [];
    (async () => {
      const config = await mapConfig();
      const data = await api<any>(`/api/grids/geojson${orgUnitId ? `?orgUnitId=${orgUnitId}` : ''}`);
      if (cancelled) return;
      if (config.tileUrl)
        layers.push(L.tileLayer(config.tileUrl, { attribution: config.attribution ?? '', maxZoom: 19 }));
      const features = L.geoJSON(toDisplay(config, data), {
        style: (f) => ({ color: gridColors[f?.properties.gridType] ?? '#555', weight: 1, fillOpacity: 0.18 }),
        pointToLayer: (_f, latlng) =>
          L.circleMarker(latlng, { radius: 3, color: '#333', weight: 1, fillOpacity: 0.8 }),
        onEachFeature: (f, l) => {
          l.bindTooltip(escapeHtml(`${f.properties.name}（${f.properties.code}）`));
          l.on('click', () => select.current?.(f));
        },
      });
      layers.push(features);
      for (const l of layers) l.addTo(map);
      const bounds = features.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] });
      el.current?.setAttribute('data-features', String(data.features.length));
    })();
    return () => {
      cancelled = true;
      for (const l of layers) l.remove();
      layers = [];
    };
  }, [map, orgUnitId, el]);
  return <div ref={el} data-testid="grid-map" style={{ height, background: '#f4f1ea', borderRadius: 8 }} />;
}
