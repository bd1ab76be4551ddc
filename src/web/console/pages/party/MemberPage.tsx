import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Space, Spin, Table, Tag } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { useSession } from '../../session.js';
import type { Member } from './common.js';
import { Passbook } from './Passbook.js';
import { TransferDialog } from './TransferDialog.js';

interface Transfer {
  fromOrgName: string | null;
  toOrgName: string;
  movedOn: string;
  reason: string | null;
}

/** 党员详情: the record, where the member's organisation relation has been, and the passbook. */
export default function MemberPage() {
  const tr = useT();
  const { id } = useParams();
  const { can } = useSession();
  const qc = useQueryClient();
  const [transferring, setTransferring] = useState(false);
  const member = useQuery({
    queryKey: ['party-member', id],
    queryFn: () => api<Member & { transfers: Transfer[] }>(`/api/party/members/${id}`),
  });
  if (member.isLoading) return <Spin style={{ margin: 48 }} />;
  if (member.error) return <Alert type="error" showIcon title={member.error.message} />;
  const m = member.data!;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            {m.name}
            <Tag color="red">{tr(`ui.party.standing.${m.standing}`)}</Tag>
          </Space>
        }
        extra={
          can('party.manage') && (
            <Button onClick={() => setTransferring(true)}>{tr('ui.party.transfer')}</Button>
          )
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} data-testid="party-member-detail">
          <Descriptions.Item label={tr('ui.party.org')}>{m.partyOrgName}</Descriptions.Item>
          <Descriptions.Item label={tr('ui.party.joinedOn')}>{m.joinedOn ?? '-'}</Descriptions.Item>
          <Descriptions.Item label={tr('ui.party.balance')}>{m.balance}</Descriptions.Item>
          <Descriptions.Item label={tr('ui.party.inService')}>
            {m.inService
              ? `${m.workplace ?? ''}${m.workplaceOrg ? `（${m.workplaceOrg}）` : ''}`
              : tr('ui.no')}
          </Descriptions.Item>
          <Descriptions.Item label={tr('ui.party.mobile')}>
            {m.mobile ? (m.mobileWhere ?? tr('ui.yes')) : tr('ui.no')}
          </Descriptions.Item>
          <Descriptions.Item label={tr('ui.party.account')}>
            {m.userId ? tr('ui.party.accountLinked') : tr('ui.party.accountNone')}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={tr('ui.party.transfers')} size="small">
        <Table<Transfer>
          size="small"
          rowKey={(t) => `${t.movedOn}-${t.toOrgName}`}
          pagination={false}
          dataSource={m.transfers}
          columns={[
            { title: tr('ui.party.movedOn'), dataIndex: 'movedOn' },
            { title: tr('ui.party.fromOrg'), dataIndex: 'fromOrgName', render: (f) => f ?? '-' },
            { title: tr('ui.party.toOrg'), dataIndex: 'toOrgName' },
            { title: tr('ui.party.reason'), dataIndex: 'reason', render: (r) => r ?? '-' },
          ]}
        />
      </Card>
      <Passbook url={`/api/party/members/${m.id}/passbook`} />
      {transferring && (
        <TransferDialog
          member={m}
          onClose={() => setTransferring(false)}
          onDone={() => {
            setTransferring(false);
            void qc.invalidateQueries({ queryKey: ['party-member', id] });
            void qc.invalidateQueries({ queryKey: ['party-orgs'] });
          }}
        />
      )}
    </Space>
  );
}
