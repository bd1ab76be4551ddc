import { and, inArray, isNull } from 'drizzle-orm';
import { t } from '../../i18n/index.js';
import { labelAuditTargets } from '../../platform/audit/labels.js';
import { roleAssignment, user } from './schema.js';

/** Accounts in the audit log (as actors and as targets): the person's name and their roles, in Chinese. */
export function registerAccountLabels() {
  labelAuditTargets('user', async (ex, ids) => {
    const people = await ex
      .select({ id: user.id, name: user.displayName })
      .from(user)
      .where(inArray(user.id, ids));
    const roles = await ex
      .select({ userId: roleAssignment.userId, role: roleAssignment.role })
      .from(roleAssignment)
      .where(and(inArray(roleAssignment.userId, ids), isNull(roleAssignment.revokedAt)));
    return new Map(
      people.map((p) => {
        const names = [...new Set(roles.filter((r) => r.userId === p.id).map((r) => t(`role.${r.role}`)))];
        return [p.id, names.length ? `${p.name}（${names.join('、')}）` : p.name];
      }),
    );
  });
}
