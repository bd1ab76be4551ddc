import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useT } from '../../../shared/i18n.js';
import { ServerTable, useServerList } from '../../../shared/ServerTable.js';
import { useSession } from '../../session.js';
import { type Member, PartyOrgSelect } from './common.js';
import { RegisterMemberDialog } from './RegisterMemberDialog.js';

const flagOptions = (tr: (k: string) => string) => [
  { value: 'true', label: tr('ui.yes') },
  { value: 'false', label: tr('ui.no') },
];

/** 党员名册: the members of the caller's subtree, filtered, sorted and paged on the server. */
export default function MembersPage() {
  const tr = useT();
  const { can } = useSession();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<Record<string, unknown>>({});
  const { tableProps } = useServerList<Member>('/api/party/members', filters);
  const [registering, setRegistering] = useState(false);
  return (
    <Card
      title={tr('ui.nav.partyMembers')}
      extra={
        can('party.manage') &&
        can('resident.read') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)}>
            {tr('ui.party.register')}
          </Button>
        )
      }
    >
      <Form
        name="partyMemberFilters"
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onValuesChange={(_, all) =>
          setFilters({
            q: all.q?.trim() || undefined,
            partyOrgId: all.partyOrgId,
            inService: all.inService,
            mobile: all.mobile,
          })
        }
      >
        <Form.Item name="q">
          <Input.Search allowClear placeholder={tr('ui.party.searchName')} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="partyOrgId" label={tr('ui.party.org')}>
          <PartyOrgSelect />
        </Form.Item>
        <Form.Item name="inService" label={tr('ui.party.inService')}>
          <Select allowClear style={{ width: 90 }} options={flagOptions(tr)} />
        </Form.Item>
        <Form.Item name="mobile" label={tr('ui.party.mobile')}>
          <Select allowClear style={{ width: 90 }} options={flagOptions(tr)} />
        </Form.Item>
      </Form>
      <ServerTable<Member>
        {...tableProps}
        data-testid="party-member-table"
        columns={[
          {
            title: tr('ui.party.name'),
            dataIndex: 'name',
            sorter: true,
            sortDirections: ['ascend'],
            render: (n, m) => <Link to={`/party/members/${m.id}`}>{n}</Link>,
          },
          { title: tr('ui.party.org'), dataIndex: 'partyOrgName' },
          {
            title: tr('ui.party.standing'),
            dataIndex: 'standing',
            render: (s) => tr(`ui.party.standing.${s}`),
          },
          {
            title: tr('ui.party.joinedOn'),
            dataIndex: 'joinedOn',
            sorter: true,
            sortDirections: ['ascend'],
            render: (d) => d ?? '-',
          },
          {
            title: tr('ui.party.flags'),
            key: 'flags',
            render: (_, m) => (
              <Space size={4}>
                {m.inService && <Tag color="blue">{tr('ui.party.inService')}</Tag>}
                {m.mobile && <Tag color="purple">{tr('ui.party.mobile')}</Tag>}
              </Space>
            ),
          },
          { title: tr('ui.party.workplace'), dataIndex: 'workplace', render: (w) => w ?? '-' },
          { title: tr('ui.party.balance'), dataIndex: 'balance' },
        ]}
      />
      {registering && (
        <RegisterMemberDialog
          onClose={() => setRegistering(false)}
          onCreated={(id) => navigate(`/party/members/${id}`)}
        />
      )}
    </Card>
  );
}
