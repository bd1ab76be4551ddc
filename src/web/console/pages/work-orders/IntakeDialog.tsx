import { Alert, App, Form, Input, Modal, Select, TreeSelect } from 'antd';
import { useState } from 'react';
import { api, formFieldErrors } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { OrgUnitPicker } from '../../../shared/OrgUnitPicker.js';
import { categoryTree, staffChannels, urgencies, useCategories } from './common.js';

/**
 * 代录: staff file a work order for a caller or visitor (`POST /api/work-orders`). The checks are the
 * server's: its field errors (in Chinese) land under the fields. One Idempotency-Key per opened form,
 * so a double click or a retry after a timeout files it once.
 */
export function IntakeDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const categories = useCategories();
  const [key] = useState(() => crypto.randomUUID());
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    const v = form.getFieldsValue();
    setSaving(true);
    setError(null);
    try {
      const res = await api<{ id: string }>('/api/work-orders', {
        method: 'POST',
        headers: { 'idempotency-key': key },
        json: Object.fromEntries(
          Object.entries(v).filter(([, x]) => x !== undefined && x !== null && x !== ''),
        ),
      });
      message.success(tr('ui.wo.created'));
      onCreated(res.id);
    } catch (err) {
      // "No grid holds this point" comes back on lng: the place picker is where to fix it.
      const fields = formFieldErrors(err).map((f) =>
        ['lng', 'lat'].includes(String(f.name[0])) ? { ...f, name: ['placeId'] } : f,
      );
      const known = new Set(Object.keys(form.getFieldsValue()));
      const mine = fields.filter((f) => known.has(String(f.name[0])));
      if (mine.length) form.setFields(mine);
      else setError((err as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={tr('ui.wo.createTitle')}
      okText={tr('ui.wo.submit')}
      cancelText={tr('ui.cancel')}
      confirmLoading={saving}
      onOk={submit}
      onCancel={onClose}
      width={640}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        name="workOrderIntake"
        initialValues={{
          channel: 'hotline',
          urgency: 'normal',
          categoryId: undefined,
          description: undefined,
          title: undefined,
          placeId: undefined,
          address: undefined,
          reporterName: undefined,
          reporterPhone: undefined,
          externalNo: undefined,
        }}
        onValuesChange={(changed) =>
          form.setFields(Object.keys(changed).map((name) => ({ name, errors: [] })))
        }
      >
        <Form.Item name="channel" label={tr('ui.wo.channel')}>
          <Select options={staffChannels.map((c) => ({ value: c, label: tr(`workOrder.channel.${c}`) }))} />
        </Form.Item>
        <Form.Item name="categoryId" label={tr('ui.wo.category')}>
          <TreeSelect
            showSearch
            treeNodeFilterProp="title"
            placeholder={tr('ui.wo.chooseCategory')}
            treeData={categoryTree(categories.data ?? [], true)}
            loading={categories.isLoading}
          />
        </Form.Item>
        <Form.Item name="urgency" label={tr('ui.wo.urgency')}>
          <Select options={urgencies.map((u) => ({ value: u, label: tr(`workOrder.urgency.${u}`) }))} />
        </Form.Item>
        <Form.Item name="description" label={tr('ui.wo.description')}>
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item name="title" label={tr('ui.wo.titleOptional')}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="placeId" label={tr('ui.wo.placeId')}>
          <OrgUnitPicker />
        </Form.Item>
        <Form.Item name="address" label={tr('ui.wo.address')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="reporterName" label={tr('ui.wo.reporterName')}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="reporterPhone" label={tr('ui.wo.reporterPhone')}>
          <Input maxLength={13} />
        </Form.Item>
        <Form.Item name="externalNo" label={tr('ui.wo.externalNo')}>
          <Input maxLength={40} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
