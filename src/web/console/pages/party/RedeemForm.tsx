import { App, Button, Card, Form, InputNumber, Select } from 'antd';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { useFormSubmit } from '../../../shared/useFormSubmit.js';
import { useRequired } from '../people/common.js';
import { MemberSelect } from './common.js';
import type { ShopItem } from './ShopPage.js';

interface Values {
  memberId: string;
  itemId: string;
  quantity: number;
}

/** 柜台兑换: staff confirm a member's redemption; balance and stock change together or not at all (409). */
export function RedeemForm(props: { items: ShopItem[]; onRedeemed: () => void }) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const required = useRequired();
  const { busy, submit } = useFormSubmit(
    form,
    (v: Values) =>
      api<{ balance: number; stockLeft: number }>('/api/party/shop/redemptions', { method: 'POST', json: v }),
    (r) => {
      message.success(tr('ui.party.redeemed', { balance: r.balance }));
      form.resetFields();
      props.onRedeemed();
    },
    'itemId',
  );
  return (
    <Card title={tr('ui.party.redeem')} size="small">
      <Form form={form} layout="vertical" name="redeem" initialValues={{ quantity: 1 }}>
        <Form.Item name="memberId" label={tr('ui.party.member')} rules={[required('ui.party.member')]}>
          <MemberSelect />
        </Form.Item>
        <Form.Item name="itemId" label={tr('ui.party.shopItem')} rules={[required('ui.party.shopItem')]}>
          <Select
            data-testid="redeem-item"
            showSearch
            optionFilterProp="label"
            options={props.items.map((i) => ({
              value: i.id,
              label: tr('ui.party.itemOption', { name: i.name, price: i.price, stock: i.stock }),
              disabled: i.stock < 1 || !i.active,
            }))}
          />
        </Form.Item>
        <Form.Item name="quantity" label={tr('ui.party.quantity')}>
          <InputNumber min={1} max={100} precision={0} />
        </Form.Item>
        <Button type="primary" loading={busy} onClick={submit}>
          {tr('ui.party.confirmRedeem')}
        </Button>
      </Form>
    </Card>
  );
}
