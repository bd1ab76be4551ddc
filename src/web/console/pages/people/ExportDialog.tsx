import { useQuery } from '@tanstack/react-query';
import { Alert, Form, Input, Modal, Radio, Spin } from 'antd';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { useFormSubmit } from '../../../shared/useFormSubmit.js';
import { useSession } from '../../session.js';

interface Values {
  unmasked: boolean;
  reason?: string;
}

/**
 * Before an export starts: masked (the default) or, for those who may, with full ID numbers and
 * phones for a stated reason; the server's count says how many people the file will hold and how
 * many of them unmasked, for exactly these filters.
 */
export function ExportDialog(props: {
  filters: object;
  onStarted: (jobId: string) => void;
  onClose: () => void;
}) {
  const tr = useT();
  const { can } = useSession();
  const [form] = Form.useForm<Values>();
  const unmasked = Form.useWatch('unmasked', form) ?? false;
  const count = useQuery({
    queryKey: ['/api/residents/exports/count', props.filters, unmasked],
    queryFn: () =>
      api<{ rows: number; unmasked: number }>('/api/residents/exports/count', {
        method: 'POST',
        json: { ...props.filters, unmasked },
      }),
  });
  const { busy, submit } = useFormSubmit(
    form,
    (v: Values) =>
      api<{ jobId: string }>('/api/residents/exports', {
        method: 'POST',
        json: { ...props.filters, unmasked: v.unmasked, ...(v.unmasked ? { reason: v.reason } : {}) },
      }),
    (res) => props.onStarted(res.jobId),
    'reason',
  );
  const c = count.data;
  return (
    <Modal
      open
      title={tr('ui.people.exportTitle')}
      okText={tr('ui.people.startExport')}
      okButtonProps={{ disabled: !c || c.rows === 0, ...{ 'data-testid': 'start-export' } }}
      confirmLoading={busy}
      onOk={submit}
      onCancel={props.onClose}
      width={560}
    >
      <Form form={form} layout="vertical" initialValues={{ unmasked: false }} data-testid="export-form">
        <Form.Item name="unmasked" label={tr('ui.people.exportContent')}>
          <Radio.Group
            options={[
              { value: false, label: tr('ui.people.exportMaskedOption') },
              {
                value: true,
                label: tr('ui.people.exportFullOption'),
                disabled: !can('resident.exportPII'),
              },
            ]}
          />
        </Form.Item>
        {unmasked && (
          <Form.Item
            name="reason"
            label={tr('ui.people.exportReason')}
            extra={tr('ui.people.exportAudited')}
            rules={[
              { required: true, whitespace: true, min: 5, message: tr('ui.people.exportReasonRequired') },
            ]}
          >
            <Input.TextArea rows={2} maxLength={200} data-testid="export-reason" />
          </Form.Item>
        )}
      </Form>
      {count.isLoading ? (
        <Spin size="small" />
      ) : count.error ? (
        <Alert type="error" showIcon title={count.error.message} />
      ) : (
        c && (
          <Alert
            data-testid="export-count"
            type={c.unmasked ? 'warning' : c.rows ? 'info' : 'error'}
            showIcon
            title={
              c.rows === 0
                ? tr('ui.people.exportNobody')
                : c.unmasked
                  ? tr('ui.people.exportWillReveal', { rows: c.rows, unmasked: c.unmasked })
                  : tr('ui.people.exportWillMask', { rows: c.rows })
            }
          />
        )
      )}
    </Modal>
  );
}
