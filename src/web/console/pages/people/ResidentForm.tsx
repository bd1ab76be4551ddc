import { App, Col, DatePicker, Form, Input, Row, Select } from 'antd';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { OrgUnitPicker } from '../../../shared/OrgUnitPicker.js';
import { useFormSubmit } from '../../../shared/useFormSubmit.js';
import {
  ethnicityOptions,
  genderKeys,
  type ResidentRow,
  residenceKeys,
  SaveModal,
  tagKeys,
  useRequired,
} from './common.js';
import { HousePicker } from './pickers.js';

const idPattern = /^\d{17}[\dXx]$/;

interface TransferSent {
  transferRequestId: string;
  status: 'pending';
  message: string;
}
const phonePattern = /^1[3-9]\d{9}$/;

/**
 * Registering or editing a resident. The browser checks what it can in Chinese first (required
 * fields, ID and phone shape); the server's answers (checksum, duplicates, birth date and gender
 * against the ID) land on the same fields.
 */
export function ResidentForm(props: { resident?: ResidentRow; onClose: (saved?: ResidentRow) => void }) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const editing = !!props.resident;
  const { busy, submit } = useFormSubmit(
    form,
    (v: Record<string, any>) => {
      const body: Record<string, unknown> = {
        name: v.name,
        ethnicity: v.ethnicity,
        residenceStatus: v.residenceStatus,
        phone: v.phone || null,
        tags: v.tags ?? [],
        employer: v.employer || null,
      };
      if (!editing || v.idNumber) body.idNumber = v.idNumber;
      // A house gives the grid too; a grid alone places someone not yet in a registered house.
      if (v.houseId) body.houseId = v.houseId;
      else if (v.gridId) body.gridId = v.gridId;
      if (v.birthDate) body.birthDate = v.birthDate.format('YYYY-MM-DD');
      if (v.gender) body.gender = v.gender;
      return api<ResidentRow | TransferSent>(
        editing ? `/api/residents/${props.resident!.id}` : '/api/residents',
        {
          method: editing ? 'PATCH' : 'POST',
          json: body,
        },
      );
    },
    (saved) => {
      // 202: the number is registered elsewhere; a 迁入申请 went there instead of a new record.
      if ('transferRequestId' in saved) {
        message.info(tr('ui.transfers.sent'), 6);
        return props.onClose();
      }
      message.success(tr('ui.people.saved'));
      props.onClose(saved);
    },
    'name',
  );
  const r = props.resident;
  const required = useRequired();
  return (
    <SaveModal
      width={720}
      title={editing ? `${tr('ui.people.edit')} · ${r!.name}` : tr('ui.people.new')}
      busy={busy}
      onSave={submit}
      onCancel={() => props.onClose()}
    >
      <Form
        form={form}
        layout="vertical"
        name="resident"
        data-testid="resident-form"
        initialValues={
          r
            ? {
                name: r.name,
                ethnicity: r.ethnicity,
                residenceStatus: r.residenceStatus,
                tags: r.tags,
                employer: r.employer,
              }
            : { ethnicity: '01', residenceStatus: 'registered', tags: [] }
        }
      >
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="name" label={tr('ui.people.name')} rules={[required('ui.people.name')]}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="idNumber"
              label={tr('ui.people.idNumber')}
              extra={editing ? r!.idNumber : undefined}
              rules={[
                ...(editing ? [] : [required('ui.people.idNumber')]),
                { pattern: idPattern, message: tr('ui.people.idInvalid') },
              ]}
            >
              <Input maxLength={18} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="gender" label={tr('ui.people.gender')}>
              <Select
                allowClear
                options={genderKeys.map((k) => ({ value: k, label: tr(`people.gender.${k}`) }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="birthDate" label={tr('ui.people.birthDate')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="ethnicity"
              label={tr('ui.people.ethnicity')}
              rules={[required('ui.people.ethnicity')]}
            >
              <Select showSearch optionFilterProp="label" options={ethnicityOptions} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="phone"
              label={tr('ui.people.phone')}
              extra={editing ? r!.phone : undefined}
              rules={[{ pattern: phonePattern, message: tr('ui.people.phoneInvalid') }]}
            >
              <Input maxLength={11} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="residenceStatus"
              label={tr('ui.people.residenceStatus')}
              rules={[required('ui.people.residenceStatus')]}
            >
              <Select
                options={residenceKeys.map((k) => ({ value: k, label: tr(`people.residence.${k}`) }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="employer" label={tr('ui.people.employer')}>
              <Input maxLength={80} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="tags" label={tr('ui.people.tags')}>
              <Select
                mode="multiple"
                options={tagKeys.map((k) => ({ value: k, label: tr(`people.tag.${k}`) }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="houseId" label={tr('ui.people.house')} extra={tr('ui.people.houseHint')}>
              <HousePicker />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="gridId"
              label={tr('ui.people.grid')}
              dependencies={['houseId']}
              rules={[
                ({ getFieldValue }) => ({
                  required: !editing && !getFieldValue('houseId'),
                  message: tr('ui.people.gridOrHouse'),
                }),
              ]}
            >
              <OrgUnitPicker />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </SaveModal>
  );
}
