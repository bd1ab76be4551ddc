import { App, Form, Input, InputNumber } from 'antd';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { useFormSubmit } from '../../../shared/useFormSubmit.js';
import { SaveModal, useRequired } from '../people/common.js';
import { PartyOrgSelect } from './common.js';

interface Values {
  partyOrgId: string;
  name: string;
  price: number;
  stock: number;
  supplier?: string;
}

/** 上架: goods from a partner unit, or a service, at a price in points with a stock. */
export function ShopItemDialog(props: { onClose: () => void; onCreated: () => void }) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const required = useRequired();
  const { busy, submit } = useFormSubmit(
    form,
    (v: Values) =>
      api('/api/party/shop/items', { method: 'POST', json: { ...v, supplier: v.supplier?.trim() || null } }),
    () => {
      message.success(tr('ui.party.shopItemAdded'));
      props.onCreated();
    },
    'name',
  );
  return (
    <SaveModal title={tr('ui.party.addShopItem')} busy={busy} onSave={submit} onCancel={props.onClose}>
      <Form form={form} layout="vertical" name="shopItem" initialValues={{ stock: 10 }}>
        <Form.Item name="partyOrgId" label={tr('ui.party.org')} rules={[required('ui.party.org')]}>
          <PartyOrgSelect style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="name" label={tr('ui.party.shopItem')} rules={[required('ui.party.shopItem')]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="price" label={tr('ui.party.price')} rules={[required('ui.party.price')]}>
          <InputNumber min={1} max={100000} precision={0} />
        </Form.Item>
        <Form.Item name="stock" label={tr('ui.party.stock')} rules={[required('ui.party.stock')]}>
          <InputNumber min={0} max={100000} precision={0} />
        </Form.Item>
        <Form.Item name="supplier" label={tr('ui.party.supplier')}>
          <Input maxLength={80} />
        </Form.Item>
      </Form>
    </SaveModal>
  );
}
