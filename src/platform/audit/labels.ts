import type { Executor } from '../db/index.js';

/** Names records of one type for people: ids in, "工单 GD…" / "白玉兰（社区书记）" parts out. */
export type Labeller = (ex: Executor, ids: string[]) => Promise<Map<string, string>>;

const labellers = new Map<string, Labeller>();

/**
 * Each domain names its own records for the audit log (the platform does not know the domains'
 * tables): called once when the domain's routes are registered. `user` also names the actors.
 */
export function labelAuditTargets(targetType: string, labeller: Labeller) {
  labellers.set(targetType, labeller);
}

/** The names of these records, keyed `type:id`; a record nobody names is left out. */
export async function auditLabels(ex: Executor, wanted: { type: string | null; id: string | null }[]) {
  const byType = new Map<string, Set<string>>();
  for (const w of wanted)
    if (w.type && w.id && labellers.has(w.type))
      byType.set(w.type, (byType.get(w.type) ?? new Set()).add(w.id));
  const out = new Map<string, string>();
  for (const [type, ids] of byType) {
    // A target id that is not a uuid (a year, a code) cannot match a uuid column: skip the query for those.
    const valid = [...ids].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (!valid.length) continue;
    for (const [id, label] of await labellers.get(type)!(ex, valid)) out.set(`${type}:${id}`, label);
  }
  return out;
}
