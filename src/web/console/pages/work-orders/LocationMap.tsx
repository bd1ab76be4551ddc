import L from 'leaflet';
import { useEffect } from 'react';
import { api } from '../../../shared/api.js';
import { mapConfig, toDisplay } from '../../../shared/GridMap.js';
import { useLeafletMap } from '../../../shared/leaflet-map.js';

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
  const { el, map } = useLeafletMap({ attributionControl: false });
  useEffect(() => {
    if (!map) return;
    let cancelled = false;
    const layers: L.Layer[] = [];
    (async () => {
      const config = await mapConfig().catch(() => ({
        tileUrl: null,
        attribution: null,
        crs: 'WGS84' as const,
      }));
      const grid = await api<any>(`/api/grids/geojson?buildings=0&orgUnitId=${placeId}`).catch(() => null);
      if (cancelled) return;
      if (config.tileUrl)
        layers.push(L.tileLayer(config.tileUrl, { attribution: config.attribution ?? '', maxZoom: 19 }));
      let bounds: L.LatLngBounds | null = null;
      if (grid?.features?.length) {
        const polygons = {
          ...grid,
          features: grid.features.filter((f: any) => f.geometry?.type !== 'Point'),
        };
        const outline = L.geoJSON(toDisplay(config, polygons), {
          style: () => ({ color: '#1677ff', weight: 1.5, fillOpacity: 0.12 }),
        });
        layers.push(outline);
        if (outline.getBounds().isValid()) bounds = outline.getBounds();
      }
      let point: [number, number] | null = null;
      if (lng !== null && lat !== null) {
        const [x, y] = toDisplay(config, { type: 'Point', coordinates: [lng, lat] }).coordinates;
        point = [y, x];
        layers.push(L.circleMarker(point, { radius: 8, color: '#c0392b', weight: 2, fillOpacity: 0.8 }));
      }
      for (const l of layers) l.addTo(map);
      if (point) map.setView(point, 16);
      else if (bounds) map.fitBounds(bounds, { padding: [12, 12] });
      el.current?.setAttribute('data-ready', 'true');
    })();
    return () => {
      cancelled = true;
      for (const l of layers) l.remove();
    };
  }, [map, lng, lat, placeId, el]);
  return (
    <div
      ref={el}
      data-testid="wo-map"
      style={{ height, background: '#f4f1ea', borderRadius: 8, zIndex: 0 }}
    />
  );
}
