import { Card, List, Typography } from 'antd';
import { Link } from 'react-router';
import { useT } from '../../shared/i18n.js';
import { nav } from '../nav.js';
import { useSession } from '../session.js';

/** Who you are, where you act, and the work open to you. */
export default function Home() {
  const tr = useT();
  const { me, can } = useSession();
  const links = nav.filter((n) => n.path !== '/' && !n.hidden && can(n.permission));
  return (
    <Card>
      <Typography.Title level={3}>{tr('ui.home.welcome', { name: me.displayName })}</Typography.Title>
      <Typography.Paragraph>
        {me.assignments
          .map((a) => `${tr(`role.${a.role}`)} · ${a.orgName ?? tr('ui.shell.wholeSystem')}`)
          .join('；') || tr('ui.home.noRole')}
      </Typography.Paragraph>
      <List
        header={tr('ui.home.yourWork')}
        dataSource={links}
        renderItem={(n) => (
          <List.Item>
            <Link to={n.path.replace(/\/\*$/, '')}>
              {n.icon} {tr(n.labelKey)}
            </Link>
          </List.Item>
        )}
      />
    </Card>
  );
}
