import { App, DatePicker, Form, Input } from 'antd';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { useFormSubmit } from '../../../shared/useFormSubmit.js';
import { SaveModal, useRequired } from '../people/common.js';
import { type Member, PartyOrgSelect } from './common.js';

interface Values {
  toOrgId: string;
  movedOn: { format(f: string): string };
  reason: string;
}

/** 组织关系转接: the member moves to another organisation; the history keeps the move. */
export function TransferDialog(props: { member: Member; onClose: () => void; onDone: () => void }) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const required = useRequired();
  const { busy, submit } = useFormSubmit(
    form,
    (v: Values) =>
      api(`/api/party/members/${props.member.id}/transfer`, {
        method: 'POST',
        json: { toOrgId: v.toOrgId, movedOn: v.movedOn.format('YYYY-MM-DD'), reason: v.reason },
      }),
    () => {
      message.success(tr('ui.party.transferred'));
      props.onDone();
    },
    'toOrgId',
  );
  return (
    <SaveModal
      title={tr('ui.party.transferTitle', { name: props.member.name })}
      busy={busy}
      onSave={submit}
      onCancel={props.onClose}
    >
      <Form form={form} layout="vertical" name="transferMember">
        <Form.Item name="toOrgId" label={tr('ui.party.toOrg')} rules={[required('ui.party.toOrg')]}>
          <PartyOrgSelect style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="movedOn" label={tr('ui.party.movedOn')} rules={[required('ui.party.movedOn')]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="reason" label={tr('ui.party.reason')} rules={[required('ui.party.reason')]}>
          <Input.TextArea maxLength={200} rows={3} />
        </Form.Item>
      </Form>
    </SaveModal>
  );
}
