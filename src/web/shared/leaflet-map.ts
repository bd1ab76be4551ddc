import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef, useState } from 'react';

/** The view a map opens on before its data says where to look (the demo region), unless told. */
const initialView = { center: L.latLng(39.8, 109.95), zoom: 11 };

/**
 * A Leaflet map in `el` with a `dispose` that removes it without leaving Leaflet a timer that
 * outlives it. A zoom animation ends on a 250 ms timer that `map.remove()` does not cancel; when it
 * fires on a removed map Leaflet reads its deleted pane ("Cannot read properties of undefined
 * (reading '_leaflet_pos')"). So a map that is zooming is removed once the zoom has ended, and
 * pans and flights are stopped first.
 *
 * The first view is given as options (`center`, `zoom`), never by a `setView` right after: a second
 * view would animate, and Leaflet drops every `setView` made while a zoom animates.
 */
export function createMap(el: HTMLElement, options: L.MapOptions = {}) {
  const map = L.map(el, { zoomSnap: 0.25, ...initialView, ...options });
  let zooming = false;
  map.on('zoomanim', () => {
    zooming = true;
  });
  map.on('zoomend', () => {
    zooming = false;
  });
  const dispose = () => {
    map.stop();
    if (zooming) map.once('zoomend', () => setTimeout(() => map.remove()));
    else map.remove();
  };
  return { map, dispose };
}

/**
 * One Leaflet map for the life of the component that shows it: created on mount, removed safely
 * on unmount. Data goes on it in layers that effects replace, so the map is never re-created
 * while one of its animations is pending. Returns the container's ref and the map once made.
 */
export function useLeafletMap(options: L.MapOptions = {}) {
  const el = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<L.Map | null>(null);
  // Options are read once, when the map is made; later changes to them would need a new map.
  const initial = useRef(options);
  useEffect(() => {
    if (!el.current) return;
    const made = createMap(el.current, initial.current);
    setMap(made.map);
    return () => {
      setMap(null);
      made.dispose();
    };
  }, []);
  return { el, map };
}
