import { App, Button, Popconfirm, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { ServerTable, useServerList } from '../../../shared/ServerTable.js';
import { useSession } from '../../session.js';
import { fmtTime, RejectDialog } from '../admin/RequestQueue.js';

/** A 迁入申请 as either side lists it; the incoming side also sees its own record of the person. */
interface TransferRow {
  id: string;
  name: string;
  idNumber: string;
  status: 'pending' | 'accepted' | 'declined';
  reason: string | null;
  toUnit: string;
  toPlace: string;
  createdAt: string;
  decidedAt: string | null;
  residentId: string | null;
  residentName?: string;
  residentUnit?: string;
  residentAddress?: string | null;
}

const statusColor = { pending: 'gold', accepted: 'green', declined: 'default' } as const;

/**
 * 迁入申请: requests for people registered here that other communities asked to move in (accept or
 * decline with a reason), and the requests this community sent, with their outcome.
 */
export function TransfersPanel() {
  const tr = useT();
  const { can } = useSession();
  const { message } = App.useApp();
  const mayDecide = can('resident.transfer');
  const [direction, setDirection] = useState<'incoming' | 'outgoing'>(mayDecide ? 'incoming' : 'outgoing');
  const [status, setStatus] = useState<TransferRow['status'] | 'all'>('pending');
  const { tableProps, query } = useServerList<TransferRow>(`/api/resident-transfers/${direction}`, {
    status: status === 'all' ? undefined : status,
  });
  const [declining, setDeclining] = useState<TransferRow | null>(null);
  const incoming = direction === 'incoming';

  const accept = async (r: TransferRow) => {
    try {
      await api(`/api/resident-transfers/${r.id}/accept`, { method: 'POST', json: {} });
      message.success(tr('ui.transfers.accepted'));
    } catch (err) {
      message.error((err as Error).message);
    }
    await query.refetch();
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="transfers">
      <Space wrap>
        {mayDecide && (
          <Segmented
            value={direction}
            onChange={(v) => setDirection(v as typeof direction)}
            options={[
              { value: 'incoming', label: tr('ui.transfers.incoming') },
              { value: 'outgoing', label: tr('ui.transfers.outgoing') },
            ]}
          />
        )}
        <Segmented
          value={status}
          onChange={(v) => setStatus(v as typeof status)}
          options={(['pending', 'accepted', 'declined', 'all'] as const).map((s) => ({
            value: s,
            label: tr(`ui.transfers.status.${s}`),
          }))}
        />
      </Space>
      <Typography.Text type="secondary">
        {tr(incoming ? 'ui.transfers.incomingHelp' : 'ui.transfers.outgoingHelp')}
      </Typography.Text>
      <ServerTable<TransferRow>
        {...tableProps}
        data-testid="transfer-table"
        columns={[
          { title: tr('ui.transfers.name'), dataIndex: 'name' },
          { title: tr('ui.people.idNumber'), dataIndex: 'idNumber' },
          ...(incoming
            ? [
                {
                  title: tr('ui.transfers.registeredHere'),
                  key: 'resident',
                  render: (_: unknown, r: TransferRow) => (
                    <Link to={`/people/residents/${r.residentId}`}>
                      {r.residentName} · {r.residentUnit}
                      {r.residentAddress ? ` · ${r.residentAddress}` : ''}
                    </Link>
                  ),
                },
              ]
            : []),
          {
            title: tr('ui.transfers.to'),
            key: 'to',
            render: (_: unknown, r: TransferRow) => [r.toUnit, r.toPlace].filter(Boolean).join(' · '),
          },
          { title: tr('ui.createdAt'), dataIndex: 'createdAt', render: fmtTime },
          {
            title: tr('ui.transfers.outcome'),
            dataIndex: 'status',
            render: (s: TransferRow['status'], r) => (
              <Space size={4} wrap>
                <Tag color={statusColor[s]}>{tr(`ui.transfers.status.${s}`)}</Tag>
                {r.reason && <span>{r.reason}</span>}
                {!incoming && r.residentId && (
                  <Link to={`/people/residents/${r.residentId}`}>{tr('ui.people.open')}</Link>
                )}
              </Space>
            ),
          },
          ...(incoming && mayDecide && status === 'pending'
            ? [
                {
                  title: tr('ui.actions'),
                  key: 'actions',
                  render: (_: unknown, r: TransferRow) => (
                    <Space size={4}>
                      <Popconfirm
                        title={tr('ui.transfers.acceptConfirm', {
                          name: r.residentName ?? r.name,
                          to: r.toUnit,
                        })}
                        onConfirm={() => accept(r)}
                      >
                        <Button size="small" type="primary">
                          {tr('ui.transfers.accept')}
                        </Button>
                      </Popconfirm>
                      <Button size="small" danger onClick={() => setDeclining(r)}>
                        {tr('ui.transfers.decline')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {declining && (
        <RejectDialog
          url={`/api/resident-transfers/${declining.id}/decline`}
          name={declining.residentName ?? declining.name}
          onClose={(done) => {
            setDeclining(null);
            if (done) query.refetch();
          }}
        />
      )}
    </Space>
  );
}
