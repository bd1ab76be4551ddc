import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Row, Space, Tag, Tree } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { ServerTable, useServerList } from '../../../shared/ServerTable.js';
import { useSession } from '../../session.js';
import { type Member, type PartyOrg, usePartyOrgs } from './common.js';
import { FoundOrgDialog } from './FoundOrgDialog.js';

/** 党组织: the tree of the caller's organisations; one chosen shows its secretary and its members. */
export default function OrgsPage() {
  const tr = useT();
  const { can } = useSession();
  const orgs = usePartyOrgs();
  const [selected, setSelected] = useState<string | undefined>();
  const [founding, setFounding] = useState(false);
  const qc = useQueryClient();
  const list = orgs.data ?? [];
  const org = list.find((o) => o.id === selected) ?? list[0];

  return (
    <Row gutter={16}>
      <Col xs={24} lg={9}>
        <Card
          title={tr('ui.nav.partyOrgs')}
          extra={
            can('party.manage') && (
              <Button icon={<PlusOutlined />} onClick={() => setFounding(true)}>
                {tr('ui.party.found')}
              </Button>
            )
          }
        >
          {orgs.error && <Alert type="error" showIcon title={orgs.error.message} />}
          {!orgs.isLoading && !list.length && <Empty description={tr('ui.party.noOrgs')} />}
          {list.length > 0 && (
            <Tree
              data-testid="party-org-tree"
              defaultExpandAll
              blockNode
              selectedKeys={org ? [org.id] : []}
              onSelect={(keys) => keys[0] && setSelected(String(keys[0]))}
              treeData={nest(list, tr)}
            />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={15}>
        {org && <OrgDetail key={org.id} org={org} />}
      </Col>
      {founding && (
        <FoundOrgDialog
          onClose={() => setFounding(false)}
          onCreated={(id) => {
            setFounding(false);
            setSelected(id);
            void qc.invalidateQueries({ queryKey: ['party-orgs'] });
          }}
        />
      )}
    </Row>
  );
}

interface TreeItem {
  key: string;
  title: React.ReactNode;
  children: TreeItem[];
}

/** Parents come before children in the API's order, so one pass builds the tree. */
function nest(orgs: PartyOrg[], tr: (k: string, p?: Record<string, unknown>) => string): TreeItem[] {
  const byId = new Map<string, TreeItem>();
  const roots: TreeItem[] = [];
  for (const o of orgs) {
    const item: TreeItem = {
      key: o.id,
      title: (
        <Space size={4}>
          {o.name}
          <Tag>{tr(`ui.party.kind.${o.kind}`)}</Tag>
          <span style={{ color: '#888' }}>{tr('ui.party.memberCount', { count: o.memberCount })}</span>
        </Space>
      ),
      children: [],
    };
    byId.set(o.id, item);
    const parent = o.parentId ? byId.get(o.parentId) : undefined;
    (parent ? parent.children : roots).push(item);
  }
  return roots;
}

function OrgDetail({ org }: { org: PartyOrg }) {
  const tr = useT();
  const { can } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { tableProps } = useServerList<Member>('/api/party/members', { partyOrgId: org.id });

  const appoint = async (m: Member) => {
    try {
      await api(`/api/party/orgs/${org.id}/secretary`, { method: 'POST', json: { memberId: m.id } });
      message.success(tr('ui.party.appointed', { name: m.name }));
      await qc.invalidateQueries({ queryKey: ['party-orgs'] });
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <Card title={org.name} data-testid="party-org-detail">
      <Descriptions size="small" column={2} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={tr('ui.party.kind')}>{tr(`ui.party.kind.${org.kind}`)}</Descriptions.Item>
        <Descriptions.Item label={tr('ui.party.orgUnit')}>{org.orgUnitName}</Descriptions.Item>
        <Descriptions.Item label={tr('ui.party.secretary')}>{org.secretaryName ?? '-'}</Descriptions.Item>
        <Descriptions.Item label={tr('ui.party.foundedOn')}>{org.foundedOn ?? '-'}</Descriptions.Item>
        <Descriptions.Item label={tr('ui.party.members')}>{org.memberCount}</Descriptions.Item>
      </Descriptions>
      <ServerTable<Member>
        {...tableProps}
        columns={[
          {
            title: tr('ui.party.name'),
            dataIndex: 'name',
            render: (n, m) => <Link to={`/party/members/${m.id}`}>{n}</Link>,
          },
          {
            title: tr('ui.party.standing'),
            dataIndex: 'standing',
            render: (s) => tr(`ui.party.standing.${s}`),
          },
          { title: tr('ui.party.joinedOn'), dataIndex: 'joinedOn', render: (d) => d ?? '-' },
          { title: tr('ui.party.balance'), dataIndex: 'balance' },
          ...(can('party.manage')
            ? [
                {
                  title: tr('ui.actions'),
                  key: 'actions',
                  render: (_: unknown, m: Member) =>
                    org.secretaryMemberId === m.id ? (
                      <Tag color="red">{tr('ui.party.secretary')}</Tag>
                    ) : (
                      <Button size="small" onClick={() => appoint(m)}>
                        {tr('ui.party.appoint')}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
