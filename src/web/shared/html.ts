const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text made safe to hand to an API that takes HTML (Leaflet's tooltips, popups and divIcons):
 * names and titles are users' input and must show as written, never as markup.
 */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => entities[c]);
