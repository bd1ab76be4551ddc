import { Card, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useT } from '../../shared/i18n.js';
import { nav } from '../nav.js';
import { useSession } from '../session.js';

/** Who you are, where you act, and the pages open to you (no figures here: they live on their pages). */
export default function Home() {
  const tr = useT();
  const { me, can } = useSession();
  const links = nav.filter((n) => n.path !== '/' && !n.hidden && can(n.permission));
  const acting = me.assignments.find((a) => a.id === me.actingAssignmentId);
  const place = (a: { orgName: string | null }) => a.orgName ?? tr('ui.shell.wholeSystem');
  return (
    <Card>
      <Typography.Title level={3}>{tr('ui.home.welcome', { name: me.displayName })}</Typography.Title>
      {acting && (
        <Typography.Paragraph strong>
          {tr('ui.home.actingAs', { role: tr(`role.${acting.role}`), place: place(acting) })}
        </Typography.Paragraph>
      )}
      <Typography.Paragraph>
        {me.assignments.length ? (
          <Space wrap size={4}>
            {tr('ui.home.roles')}：
            {me.assignments.map((a) => (
              <Tag key={a.id} color={a.id === me.actingAssignmentId ? 'red' : undefined}>
                <span title={a.orgPath ?? undefined}>
                  {tr(`role.${a.role}`)} · {place(a)}
                </span>
              </Tag>
            ))}
          </Space>
        ) : (
          tr('ui.home.noRole')
        )}
      </Typography.Paragraph>
      {me.kind === 'resident' && (
        <Typography.Paragraph>
          {tr('ui.home.residentApp')} <a href="/m/">{`${window.location.origin}/m/`}</a>
        </Typography.Paragraph>
      )}
      <Typography.Title level={5}>{tr('ui.home.yourWork')}</Typography.Title>
      <Space wrap size="middle">
        {links.map((n) => (
          <Link key={n.path} to={n.path.replace(/\/\*$/, '')}>
            <Card size="small" hoverable style={{ minWidth: 160 }}>
              {n.icon} {tr(n.labelKey)}
            </Card>
          </Link>
        ))}
      </Space>
    </Card>
  );
}
