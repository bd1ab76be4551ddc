import { and, eq, isNull, sql } from 'drizzle-orm';
import { pathWithin } from '../../platform/auth/authorize.js';
import type { Executor } from '../../platform/db/index.js';
import { invalid } from '../../platform/errors.js';
import { loadAssignments } from '../accounts/sessions.js';
import { orgUnit } from './schema.js';

/**
 * The people named to lead or staff a grid or building (网格长, 网格员, 楼栋长) must hold a role in
 * its community: an account from another community, street or city is refused with 400 naming the
 * field, so a grid's staff list never points at someone who cannot work there.
 */
export async function checkNamedStaff(
  ex: Executor,
  placePath: string,
  named: { field: string; label: string; userIds: (string | null | undefined)[] }[],
) {
  const wanted = named.flatMap((n) =>
    n.userIds.filter((id): id is string => !!id).map((id) => ({ ...n, id })),
  );
  if (!wanted.length) return;
  const [community] = await ex
    .select({ path: orgUnit.path, name: orgUnit.name })
    .from(orgUnit)
    .where(
      and(
        eq(orgUnit.kind, 'community'),
        isNull(orgUnit.deletedAt),
        sql`${orgUnit.path} @> ${placePath}::ltree`,
      ),
    );
  for (const n of wanted) {
    const roles = await loadAssignments(ex, n.id);
    const here = community && roles.some((a) => a.orgPath && pathWithin(a.orgPath, community.path));
    if (!here) throw invalid(n.field, `${n.label}须是在${community?.name ?? '本社区'}任职的人员`);
  }
}
