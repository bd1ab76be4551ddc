import { labelAuditTargets } from '../../platform/audit/labels.js';
import { unitLabels } from './units.js';

/** Org units, grids and buildings in the audit log, named as people tell them apart (a grid with its community). */
export function registerOrgLabels() {
  for (const type of ['orgUnit', 'grid', 'building']) labelAuditTargets(type, unitLabels);
}
