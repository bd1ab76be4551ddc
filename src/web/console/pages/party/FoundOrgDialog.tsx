import { App, DatePicker, Form, Input, Select } from 'antd';
import { partyOrgKinds } from '../../../../modules/party/rules.js';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { OrgUnitPicker } from '../../../shared/OrgUnitPicker.js';
import { useFormSubmit } from '../../../shared/useFormSubmit.js';
import { SaveModal, useRequired } from '../people/common.js';
import { PartyOrgSelect } from './common.js';

interface Values {
  kind: string;
  name: string;
  orgUnitId: string;
  parentId?: string;
  foundedOn?: { format(f: string): string };
}

/** 成立党组织: kind, name, the unit it serves and the organisation above it (the server checks the chain). */
export function FoundOrgDialog(props: { onClose: () => void; onCreated: (id: string) => void }) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const required = useRequired();
  const { busy, submit } = useFormSubmit(
    form,
    (v: Values) =>
      api<{ id: string }>('/api/party/orgs', {
        method: 'POST',
        json: {
          kind: v.kind,
          name: v.name,
          orgUnitId: v.orgUnitId,
          parentId: v.parentId ?? null,
          foundedOn: v.foundedOn?.format('YYYY-MM-DD') ?? null,
        },
      }),
    (row) => {
      message.success(tr('ui.party.founded'));
      props.onCreated(row.id);
    },
    'name',
  );
  return (
    <SaveModal title={tr('ui.party.found')} busy={busy} onSave={submit} onCancel={props.onClose}>
      <Form form={form} layout="vertical" name="foundPartyOrg" initialValues={{ kind: 'branch' }}>
        <Form.Item name="kind" label={tr('ui.party.kind')} rules={[required('ui.party.kind')]}>
          <Select options={partyOrgKinds.map((k) => ({ value: k, label: tr(`ui.party.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="name" label={tr('ui.party.orgName')} rules={[required('ui.party.orgName')]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="orgUnitId" label={tr('ui.party.orgUnit')} rules={[required('ui.party.orgUnit')]}>
          <OrgUnitPicker />
        </Form.Item>
        <Form.Item name="parentId" label={tr('ui.party.parent')} extra={tr('ui.party.parentHint')}>
          <PartyOrgSelect style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="foundedOn" label={tr('ui.party.foundedOn')}>
          <DatePicker />
        </Form.Item>
      </Form>
    </SaveModal>
  );
}
