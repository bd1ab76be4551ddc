import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { ServerTable, useServerList } from '../../../shared/ServerTable.js';
import { useSession } from '../../session.js';
import { CheckInDetail } from './CheckInDetail.js';
import { when } from './common.js';

export interface CheckIn {
  id: string;
  kind: 'member' | 'organisation';
  status: 'pending' | 'confirmed' | 'refused';
  memberName: string | null;
  workplaceOrgName: string | null;
  workplace: string | null;
  orgUnitName: string;
  note: string | null;
  reason: string | null;
  services: number;
  hours: number;
  createdAt: string;
}

interface Stat {
  orgUnitId: string;
  orgUnitName: string;
  members: number;
  organisations: number;
  pending: number;
  services: number;
  hours: number;
}

const statusColour = { pending: 'orange', confirmed: 'green', refused: 'default' } as const;

/** 双报到: the check-ins a community received (pending first), counts per community, and each one's record. */
export default function CheckInsPage() {
  const tr = useT();
  const { can } = useSession();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Record<string, unknown>>({});
  const list = useServerList<CheckIn>('/api/party/check-ins', filters);
  const stats = useQuery({
    queryKey: ['check-in-stats'],
    queryFn: () => api<Stat[]>('/api/party/check-ins/stats'),
  });
  const [open, setOpen] = useState<string | null>(null);
  const [refusing, setRefusing] = useState<CheckIn | null>(null);
  const [reason, setReason] = useState('');
  const decide = async (c: CheckIn, approve: boolean) => {
    try {
      await api(`/api/party/check-ins/${c.id}/${approve ? 'confirm' : 'refuse'}`, {
        method: 'POST',
        json: approve ? undefined : { reason },
      });
      message.success(tr(approve ? 'ui.checkIn.confirmed' : 'ui.checkIn.refused'));
      setRefusing(null);
      setReason('');
      void list.query.refetch();
      void stats.refetch();
    } catch (err) {
      message.error((err as Error).message);
    }
  };
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={tr('ui.nav.partyCheckIns')}>
        <Form
          name="checkInFilters"
          layout="inline"
          style={{ marginBottom: 16 }}
          onValuesChange={(_, all) => setFilters({ status: all.status, kind: all.kind })}
        >
          <Form.Item name="status" label={tr('ui.checkIn.status')}>
            <Select
              allowClear
              style={{ width: 110 }}
              options={(['pending', 'confirmed', 'refused'] as const).map((s) => ({
                value: s,
                label: tr(`ui.checkIn.status.${s}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="kind" label={tr('ui.checkIn.kind')}>
            <Select
              allowClear
              style={{ width: 110 }}
              options={(['member', 'organisation'] as const).map((k) => ({
                value: k,
                label: tr(`ui.checkIn.kind.${k}`),
              }))}
            />
          </Form.Item>
        </Form>
        <ServerTable<CheckIn>
          {...list.tableProps}
          data-testid="check-ins"
          columns={[
            {
              title: tr('ui.checkIn.who'),
              key: 'who',
              render: (_, c) => (
                <Button type="link" onClick={() => setOpen(c.id)}>
                  {c.memberName ?? c.workplaceOrgName}
                </Button>
              ),
            },
            { title: tr('ui.checkIn.kind'), dataIndex: 'kind', render: (k) => tr(`ui.checkIn.kind.${k}`) },
            {
              title: tr('ui.checkIn.workplace'),
              key: 'workplace',
              render: (_, c) => (c.kind === 'member' ? (c.workplace ?? c.workplaceOrgName ?? '-') : '-'),
            },
            { title: tr('ui.checkIn.community'), dataIndex: 'orgUnitName' },
            {
              title: tr('ui.checkIn.status'),
              dataIndex: 'status',
              render: (s: CheckIn['status']) => (
                <Tag color={statusColour[s]}>{tr(`ui.checkIn.status.${s}`)}</Tag>
              ),
            },
            { title: tr('ui.checkIn.services'), dataIndex: 'services' },
            { title: tr('ui.checkIn.hours'), dataIndex: 'hours' },
            { title: tr('ui.checkIn.at'), dataIndex: 'createdAt', render: when },
            ...(can('party.checkIn')
              ? [
                  {
                    title: tr('ui.actions'),
                    key: 'actions',
                    render: (_: unknown, c: CheckIn) =>
                      c.status === 'pending' && (
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
                ]
              : []),
          ]}
        />
      </Card>
      <Card title={tr('ui.checkIn.stats')} size="small">
        <Table<Stat>
          size="small"
          rowKey="orgUnitId"
          loading={stats.isFetching}
          dataSource={stats.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: tr('ui.checkIn.community'), dataIndex: 'orgUnitName' },
            { title: tr('ui.checkIn.members'), dataIndex: 'members' },
            { title: tr('ui.checkIn.organisations'), dataIndex: 'organisations' },
            { title: tr('ui.checkIn.status.pending'), dataIndex: 'pending' },
            { title: tr('ui.checkIn.services'), dataIndex: 'services' },
            { title: tr('ui.checkIn.hours'), dataIndex: 'hours' },
          ]}
        />
      </Card>
      {open && <CheckInDetail id={open} onClose={() => setOpen(null)} />}
      <Modal
        open={!!refusing}
        title={tr('ui.party.refuseTitle', { name: refusing?.memberName ?? refusing?.workplaceOrgName ?? '' })}
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
    </Space>
  );
}
