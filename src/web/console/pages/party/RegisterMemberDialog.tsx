import { App, Checkbox, DatePicker, Form, Input, Select } from 'antd';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { useFormSubmit } from '../../../shared/useFormSubmit.js';
import { SaveModal, useRequired } from '../people/common.js';
import { ResidentPicker } from '../people/pickers.js';
import { PartyOrgSelect } from './common.js';

interface Values {
  residentId: string;
  partyOrgId: string;
  joinedOn?: { format(f: string): string };
  standing: 'full' | 'probationary';
  inService?: boolean;
  workplace?: string;
  workplaceOrg?: string;
  mobile?: boolean;
  mobileWhere?: string;
}

/** 登记党员: a resident of the register joins an organisation (one record per person; 409 names the other). */
export function RegisterMemberDialog(props: { onClose: () => void; onCreated: (id: string) => void }) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const required = useRequired();
  const inService = Form.useWatch('inService', form);
  const mobile = Form.useWatch('mobile', form);
  const { busy, submit } = useFormSubmit(
    form,
    (v: Values) =>
      api<{ id: string }>('/api/party/members', {
        method: 'POST',
        json: {
          ...v,
          joinedOn: v.joinedOn?.format('YYYY-MM-DD') ?? null,
          inService: !!v.inService,
          mobile: !!v.mobile,
          workplace: v.workplace?.trim() || null,
          workplaceOrg: v.workplaceOrg?.trim() || null,
          mobileWhere: v.mobileWhere?.trim() || null,
        },
      }),
    (row) => {
      message.success(tr('ui.party.registered'));
      props.onCreated(row.id);
    },
    'residentId',
  );
  return (
    <SaveModal title={tr('ui.party.register')} busy={busy} onSave={submit} onCancel={props.onClose}>
      <Form form={form} layout="vertical" name="registerMember" initialValues={{ standing: 'full' }}>
        <Form.Item name="residentId" label={tr('ui.party.resident')} rules={[required('ui.party.resident')]}>
          <ResidentPicker />
        </Form.Item>
        <Form.Item name="partyOrgId" label={tr('ui.party.org')} rules={[required('ui.party.org')]}>
          <PartyOrgSelect style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="joinedOn" label={tr('ui.party.joinedOn')}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="standing" label={tr('ui.party.standing')}>
          <Select
            options={['full', 'probationary'].map((s) => ({ value: s, label: tr(`ui.party.standing.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="inService" valuePropName="checked">
          <Checkbox>{tr('ui.party.inService')}</Checkbox>
        </Form.Item>
        {inService && (
          <>
            <Form.Item
              name="workplace"
              label={tr('ui.party.workplace')}
              rules={[required('ui.party.workplace')]}
            >
              <Input maxLength={80} />
            </Form.Item>
            <Form.Item name="workplaceOrg" label={tr('ui.party.workplaceOrg')}>
              <Input maxLength={80} />
            </Form.Item>
          </>
        )}
        <Form.Item name="mobile" valuePropName="checked">
          <Checkbox>{tr('ui.party.mobile')}</Checkbox>
        </Form.Item>
        {mobile && (
          <Form.Item
            name="mobileWhere"
            label={tr('ui.party.mobileWhere')}
            rules={[required('ui.party.mobileWhere')]}
          >
            <Input maxLength={80} />
          </Form.Item>
        )}
      </Form>
    </SaveModal>
  );
}
