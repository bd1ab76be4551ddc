import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Input, Modal, Space, Table } from 'antd';
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { when } from './common.js';

interface Claim {
  id: string;
  memberName: string;
  itemName: string;
  category: string;
  month: string;
  points: number;
  note: string | null;
  createdAt: string;
}

/** 申报审核: members' own claims, confirmed (the cap is checked again) or refused with a reason. */
export function Claims({ orgId }: { orgId: string }) {
  const tr = useT();
  const { message } = App.useApp();
  const [refusing, setRefusing] = useState<Claim | null>(null);
  const [reason, setReason] = useState('');
  const claims = useQuery({
    queryKey: ['party-claims', orgId],
    queryFn: () => api<Claim[]>(`/api/party/claims?partyOrgId=${orgId}`),
  });
  const decide = async (c: Claim, approve: boolean) => {
    try {
      await api(`/api/party/claims/${c.id}/${approve ? 'confirm' : 'refuse'}`, {
        method: 'POST',
        json: approve ? undefined : { reason },
      });
      message.success(tr(approve ? 'ui.party.claimConfirmed' : 'ui.party.claimRefused'));
      setRefusing(null);
      setReason('');
      await claims.refetch();
    } catch (err) {
      message.error((err as Error).message);
    }
  };
  if (claims.error) return <Alert type="error" showIcon title={claims.error.message} />;
  return (
    <>
      <Table<Claim>
        data-testid="claims-table"
        size="small"
        rowKey="id"
        loading={claims.isFetching}
        dataSource={claims.data ?? []}
        pagination={false}
        locale={{ emptyText: tr('ui.party.noClaims') }}
        columns={[
          { title: tr('ui.party.name'), dataIndex: 'memberName' },
          { title: tr('ui.party.month'), dataIndex: 'month' },
          {
            title: tr('ui.party.item'),
            dataIndex: 'itemName',
            render: (n, c) => `${tr(`ui.party.category.${c.category}`)} · ${n}`,
          },
          { title: tr('ui.party.amount'), dataIndex: 'points' },
          { title: tr('ui.party.claimNote'), dataIndex: 'note', render: (n) => n ?? '-' },
          { title: tr('ui.party.claimedAt'), dataIndex: 'createdAt', render: when },
          {
            title: tr('ui.actions'),
            key: 'actions',
            render: (_, c) => (
              <Space>
                <Button size="small" type="primary" onClick={() => decide(c, true)}>
                  {tr('ui.party.confirm')}
                </Button>
                <Button size="small" danger onClick={() => setRefusing(c)}>
                  {tr('ui.party.refuse')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!refusing}
        title={tr('ui.party.refuseTitle', { name: refusing?.memberName ?? '' })}
        okText={tr('ui.party.refuse')}
        cancelText={tr('ui.cancel')}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2 }}
        onOk={() => refusing && decide(refusing, false)}
        onCancel={() => setRefusing(null)}
        destroyOnHidden
      >
        <Input.TextArea
          aria-label={tr('ui.party.reason')}
          placeholder={tr('ui.party.refuseHint')}
          value={reason}
          maxLength={200}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </>
  );
}
