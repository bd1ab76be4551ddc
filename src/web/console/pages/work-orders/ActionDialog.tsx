import { Alert, App, Button, DatePicker, Form, Input, Modal, Radio, Select, Space } from 'antd';
import { useState } from 'react';
import { api, formFieldErrors, queryString } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { OrgUnitPicker } from '../../../shared/OrgUnitPicker.js';
import {
  actionLabel,
  type EventType,
  outcomes,
  ratings,
  useCategories,
  type WorkOrderDetail,
} from './common.js';
import { DepartmentSelect, PhotoUpload } from './inputs.js';

type Field =
  | 'reason'
  | 'text'
  | 'publicText'
  | 'replyText'
  | 'message'
  | 'comment'
  | 'handler'
  | 'departments'
  | 'outcome'
  | 'closeOutcome'
  | 'rating'
  | 'satisfied'
  | 'merge'
  | 'photos';

/** What each step asks for; steps with nothing to ask (beyond an optional note) are one click. */
const forms: Record<Exclude<EventType, 'created'>, Field[]> = {
  accepted: ['text'],
  rejected: ['reason'],
  merged: ['merge', 'text'],
  dispatched: ['handler', 'publicText', 'text'],
  transferred: ['handler', 'reason'],
  returned: ['reason'],
  whistled: ['departments', 'text'],
  acknowledged: ['text'],
  replied: ['replyText', 'photos'],
  resolved: ['outcome', 'replyText', 'photos'],
  verified: ['text'],
  verificationFailed: ['reason'],
  closed: ['closeOutcome', 'publicText', 'text'],
  rated: ['rating', 'text'],
  followedUp: ['satisfied', 'text'],
  reopened: ['reason'],
  supervised: ['message'],
  commented: ['comment', 'photos'],
};

/** The form for one step of the loop; posts `POST /api/work-orders/:id/events` and hands back the new detail. */
export function ActionDialog({
  order,
  type,
  onClose,
  onDone,
}: {
  order: WorkOrderDetail;
  type: Exclude<EventType, 'created'>;
  onClose: () => void;
  onDone: (next: WorkOrderDetail) => void;
}) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fields = forms[type];
  const label = actionLabel(tr, type, order.status);
  // The category's reply templates for the chosen outcome: one click fills the reply.
  const categories = useCategories();
  const outcome = Form.useWatch('outcome', form);
  const templates =
    categories.data?.find((c) => c.id === order.categoryId)?.replyTemplates?.[outcome ?? ''] ?? [];
  const textField = fields.includes('replyText') ? 'replyText' : 'text';
  const required = (field: string) => ({ required: true, message: tr('ui.wo.required', { field }) });

  const submit = async () => {
    let v: Record<string, any>;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { type };
      if (v.reason) body.reason = v.reason;
      const text = v.text ?? v.replyText ?? v.message ?? v.comment;
      if (text) body.text = text;
      if (v.publicText) body.publicText = v.publicText;
      if (v.handlerUnitId) body.handlerUnitId = v.handlerUnitId;
      if (v.dueAt) body.dueAt = v.dueAt.toISOString();
      if (v.departmentIds?.length) body.departmentIds = v.departmentIds;
      if (v.outcome) body.outcome = v.outcome;
      if (v.rating) body.rating = v.rating;
      if (v.satisfied !== undefined) body.satisfied = v.satisfied;
      if (v.photoIds?.length) body.photoIds = v.photoIds;
      if (v.mergedInto) {
        // The form takes the number people read; the API wants the id.
        const hits = await api<{ items: { id: string; number: string }[] }>(
          `/api/work-orders${queryString({ q: v.mergedInto.trim(), pageSize: 5 })}`,
        );
        const target = hits.items.find((h) => h.number === v.mergedInto.trim());
        if (!target) {
          form.setFields([
            { name: 'mergedInto', errors: [tr('ui.wo.mergeNotFound', { number: v.mergedInto })] },
          ]);
          return;
        }
        body.mergedInto = target.id;
      }
      const next = await api<WorkOrderDetail>(`/api/work-orders/${order.id}/events`, {
        method: 'POST',
        json: body,
      });
      message.success(tr('ui.wo.done', { action: label }));
      onDone(next);
    } catch (err) {
      const names = new Set(Object.keys(form.getFieldsValue()));
      const mine = formFieldErrors(err)
        .map((f) => (f.name[0] === 'text' && names.has('replyText') ? { ...f, name: ['replyText'] } : f))
        .filter((f) => names.has(String(f.name[0])));
      if (mine.length) form.setFields(mine);
      else setError((err as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={`${label} · ${order.number}`}
      okText={label}
      cancelText={tr('ui.cancel')}
      okButtonProps={{ danger: ['rejected', 'verificationFailed', 'returned', 'reopened'].includes(type) }}
      confirmLoading={saving}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="action-error" />
      )}
      <Form form={form} layout="vertical" name={`workOrderAction-${type}`}>
        {fields.includes('merge') && (
          <Form.Item
            name="mergedInto"
            label={tr('ui.wo.mergeInto')}
            rules={[required(tr('ui.wo.mergeInto'))]}
          >
            <Input placeholder="GD…" />
          </Form.Item>
        )}
        {fields.includes('handler') && (
          <>
            <Form.Item
              name="handlerUnitId"
              // It starts at the grid (or place) where the report was made: the usual choice.
              initialValue={type === 'dispatched' ? order.placeId : undefined}
              label={tr('ui.wo.handlerUnit')}
              rules={[required(tr('ui.wo.handler'))]}
            >
              <OrgUnitPicker />
            </Form.Item>
            <Form.Item name="dueAt" label={tr('ui.wo.handlerDue')}>
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                style={{ width: '100%' }}
              />
            </Form.Item>
          </>
        )}
        {fields.includes('departments') && (
          <Form.Item
            name="departmentIds"
            label={tr('ui.wo.departments')}
            rules={[required(tr('ui.wo.departments'))]}
          >
            <DepartmentSelect workOrderId={order.id} />
          </Form.Item>
        )}
        {fields.includes('outcome') && (
          <Form.Item
            name="outcome"
            label={tr('ui.wo.outcome')}
            initialValue="resolved"
            rules={[required(tr('ui.wo.outcome'))]}
          >
            <Radio.Group options={outcomes.map((o) => ({ value: o, label: tr(`workOrder.outcome.${o}`) }))} />
          </Form.Item>
        )}
        {fields.includes('closeOutcome') && (
          <Form.Item name="outcome" label={tr('ui.wo.outcome')} rules={[required(tr('ui.wo.outcome'))]}>
            <Select options={outcomes.map((o) => ({ value: o, label: tr(`workOrder.outcome.${o}`) }))} />
          </Form.Item>
        )}
        {fields.includes('rating') && (
          <Form.Item name="rating" label={tr('ui.wo.rating')} rules={[required(tr('ui.wo.rating'))]}>
            <Radio.Group options={ratings.map((r) => ({ value: r, label: tr(`workOrder.rating.${r}`) }))} />
          </Form.Item>
        )}
        {fields.includes('satisfied') && (
          <Form.Item
            name="satisfied"
            label={tr('ui.wo.satisfied')}
            initialValue={true}
            rules={[required(tr('ui.wo.satisfied'))]}
          >
            <Radio.Group
              options={[
                { value: true, label: tr('ui.wo.satisfiedYes') },
                { value: false, label: tr('ui.wo.satisfiedNo') },
              ]}
            />
          </Form.Item>
        )}
        {fields.includes('reason') && (
          <Form.Item name="reason" label={tr('ui.wo.reason')} rules={[required(tr('ui.wo.reason'))]}>
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        )}
        {fields.includes('replyText') && (
          <Form.Item name="replyText" label={tr('ui.wo.replyText')} rules={[required(tr('ui.wo.replyText'))]}>
            <Input.TextArea rows={4} maxLength={2000} />
          </Form.Item>
        )}
        {fields.includes('message') && (
          <Form.Item name="message" label={tr('ui.wo.message')} rules={[required(tr('ui.wo.message'))]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        )}
        {fields.includes('comment') && (
          <Form.Item name="comment" label={tr('ui.wo.comment')} rules={[required(tr('ui.wo.comment'))]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        )}
        {templates.length > 0 && (
          <Form.Item label={tr('ui.wo.templates')}>
            <Space wrap size={4} data-testid="reply-templates">
              {templates.map((t) => (
                <Button key={t} size="small" onClick={() => form.setFieldValue(textField, t)}>
                  {t.length > 24 ? `${t.slice(0, 24)}…` : t}
                </Button>
              ))}
            </Space>
          </Form.Item>
        )}
        {fields.includes('publicText') && (
          <Form.Item name="publicText" label={tr('ui.wo.publicText')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        )}
        {fields.includes('text') && (
          <Form.Item name="text" label={tr('ui.wo.text')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        )}
        {fields.includes('photos') && (
          <Form.Item name="photoIds" label={tr('ui.wo.photos')}>
            <PhotoUpload />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
