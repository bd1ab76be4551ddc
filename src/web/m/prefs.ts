import { useSyncExternalStore } from 'react';

/**
 * Elderly mode (适老化, GB/T 37668): text ≥ 18 px, touch targets ≥ 44 px, high contrast, fewer
 * things per screen. Remembered on this device; applied as a class on <html> that styles.css reads.
 */
const KEY = 'm.elderly';
let elderly = typeof localStorage !== 'undefined' && localStorage.getItem(KEY) === '1';
const listeners = new Set<() => void>();

export function applyElderly() {
  document.documentElement.classList.toggle('elderly', elderly);
}

export function setElderly(on: boolean) {
  elderly = on;
  localStorage.setItem(KEY, on ? '1' : '0');
  applyElderly();
  for (const l of listeners) l();
}

export function useElderly(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => elderly,
  );
}
