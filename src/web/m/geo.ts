export interface Position {
  lng: number;
  lat: number;
  accuracy: number;
}

/**
 * The phone's position (WGS-84, what the server stores), or null when it is refused, unavailable or
 * slower than `timeoutMs` — then the form asks for a typed address instead.
 */
export function locate(timeoutMs = 10_000): Promise<Position | null> {
  if (!('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs + 500);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        clearTimeout(timer);
        resolve({ lng: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy });
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}
