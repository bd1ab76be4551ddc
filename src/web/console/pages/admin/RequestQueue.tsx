import { App, Button, Card, Form, Input, Modal, Popconfirm, Segmented, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api, applyFieldErrors, validValues } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { ServerTable, useServerList } from '../../../shared/ServerTable.js';
import { useSession } from '../../session.js';

/** What both queues have in common; each page adds its own columns. */
export interface RequestRow {
  id: string;
  status: 'pending' | 'approved' | 'rejected';
  displayName?: string | null;
  name?: string | null;
  createdAt?: string | null;
  reason?: string | null;
}

export const requestName = (r: RequestRow) => r.displayName ?? r.name ?? '-';
export const fmtTime = (v?: string | null) =>
  v ? new Date(v).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '-';

const statusColor = { pending: 'gold', approved: 'green', rejected: 'default' } as const;

/**
 * A review queue over `GET {url}?status&page&pageSize` with `POST {url}/:id/approve` and
 * `POST {url}/:id/reject {reason}`. The buttons need `permission`; the server checks it again.
 */
export function RequestQueue<T extends RequestRow>(props: {
  title: string;
  url: string;
  permission: string;
  columns: ColumnsType<T>;
}) {
  const tr = useT();
  const { can } = useSession();
  const { message } = App.useApp();
  const [status, setStatus] = useState<'pending' | 'approved' | 'rejected'>('pending');
  const { tableProps, query } = useServerList<T>(props.url, { status });
  const [rejecting, setRejecting] = useState<T | null>(null);
  const allowed = can(props.permission);

  const approve = async (r: T) => {
    try {
      await api(`${props.url}/${r.id}/approve`, { method: 'POST', json: {} });
      message.success(tr('ui.approved'));
    } catch (err) {
      message.error((err as Error).message);
    }
    await query.refetch();
  };

  return (
    <Card
      title={props.title}
      extra={
        <Segmented
          value={status}
          onChange={(v) => setStatus(v as typeof status)}
          options={(['pending', 'approved', 'rejected'] as const).map((s) => ({
            value: s,
            label: tr(`ui.requests.status.${s}`),
          }))}
        />
      }
    >
      <ServerTable<T>
        {...tableProps}
        locale={
          tableProps.locale ?? { emptyText: status === 'pending' ? tr('ui.requests.empty') : undefined }
        }
        columns={[
          ...props.columns,
          { title: tr('ui.createdAt'), dataIndex: 'createdAt', render: fmtTime },
          {
            title: tr('ui.requests.status'),
            dataIndex: 'status',
            render: (s: T['status'], r) => (
              <Space size={4}>
                <Tag color={statusColor[s] ?? 'default'}>{tr(`ui.requests.status.${s}`)}</Tag>
                {r.reason && <span>{r.reason}</span>}
              </Space>
            ),
          },
          ...(allowed && status === 'pending'
            ? [
                {
                  title: tr('ui.actions'),
                  render: (_: unknown, r: T) => (
                    <Space size={4}>
                      <Popconfirm
                        title={tr('ui.requests.approveConfirm', { name: requestName(r) })}
                        onConfirm={() => approve(r)}
                      >
                        <Button size="small" type="primary">
                          {tr('ui.approve')}
                        </Button>
                      </Popconfirm>
                      <Button size="small" danger onClick={() => setRejecting(r)}>
                        {tr('ui.reject')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {rejecting && (
        <RejectDialog
          url={`${props.url}/${rejecting.id}/reject`}
          name={requestName(rejecting)}
          onClose={(done) => {
            setRejecting(null);
            if (done) query.refetch();
          }}
        />
      )}
    </Card>
  );
}

export function RejectDialog(props: { url: string; name: string; onClose: (done: boolean) => void }) {
  const tr = useT();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    setBusy(true);
    try {
      await api(props.url, { method: 'POST', json: { reason: v.reason } });
      props.onClose(true);
    } catch (err) {
      if (!applyFieldErrors(form, err))
        form.setFields([{ name: 'reason', errors: [(err as Error).message] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={`${tr('ui.reject')} · ${props.name}`}
      onOk={submit}
      confirmLoading={busy}
      onCancel={() => props.onClose(false)}
      okText={tr('ui.reject')}
      okButtonProps={{ danger: true }}
      cancelText={tr('ui.cancel')}
    >
      <Form form={form} name="reject" layout="vertical">
        <Form.Item
          name="reason"
          label={tr('ui.rejectReason')}
          extra={tr('ui.rejectReasonHint')}
          rules={[{ required: true, whitespace: true, message: tr('validation.required') }]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
