import type { people as zh } from '../zh-CN/people.js';

export const people: Partial<Record<keyof typeof zh, string>> = {
  'people.duplicateResident': 'This document number is already on the register: one person, one record',
  'ui.nav.people': 'People register',
  'ui.people.residents': 'Residents',
  'ui.people.households': 'Households',
  'ui.people.houses': 'Houses',
};
