import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Col, Form, Row, Select } from 'antd';
import { headRelation } from '../../../../modules/people/codes.js';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { useFormSubmit } from '../../../shared/useFormSubmit.js';
import { SaveModal, useRequired } from './common.js';
import { HousePicker, RegistrationSelect, ResidentPicker, relationOptions } from './pickers.js';

/**
 * 建户: a house, 户籍户 or not, and its members with their relation to the head — exactly one head.
 * The server refuses a person already in another household and names the member row it means.
 */
export function HouseholdForm(props: { onClose: (saved?: { id: string; headResidentId: string }) => void }) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const { busy, submit } = useFormSubmit(
    form,
    (v: { houseId: string; registrationType: string; members: unknown[] }) =>
      api<{ id: string; headResidentId: string }>('/api/households', {
        method: 'POST',
        json: { houseId: v.houseId, registrationType: v.registrationType, members: v.members },
      }),
    (saved) => {
      message.success(tr('ui.people.saved'));
      props.onClose(saved);
    },
    'houseId',
  );
  const required = useRequired();
  return (
    <SaveModal
      width={720}
      title={tr('ui.people.newHousehold')}
      busy={busy}
      onSave={submit}
      onCancel={() => props.onClose()}
    >
      <Form
        form={form}
        layout="vertical"
        name="household"
        data-testid="household-form"
        initialValues={{ registrationType: 'registered', members: [{ relation: headRelation }] }}
      >
        <Row gutter={12}>
          <Col span={16}>
            <Form.Item name="houseId" label={tr('ui.people.house')} rules={[required('ui.people.house')]}>
              <HousePicker />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="registrationType" label={tr('ui.people.registrationType')}>
              <RegistrationSelect />
            </Form.Item>
          </Col>
        </Row>
        <Form.List
          name="members"
          rules={[
            {
              validator: async (_, members: { relation?: string }[]) => {
                const heads = members.filter((m) => m?.relation === headRelation).length;
                if (heads !== 1) throw new Error(tr('ui.people.oneHead'));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((f, i) => (
                <Row gutter={12} key={f.key} align="top" data-testid="household-member-row">
                  <Col span={14}>
                    <Form.Item
                      name={[f.name, 'residentId']}
                      label={i === 0 ? tr('ui.people.members') : undefined}
                      rules={[required('ui.people.members')]}
                    >
                      <ResidentPicker />
                    </Form.Item>
                  </Col>
                  <Col span={8}>
                    <Form.Item
                      name={[f.name, 'relation']}
                      label={i === 0 ? tr('ui.people.relation') : undefined}
                      rules={[required('ui.people.relation')]}
                    >
                      <Select showSearch optionFilterProp="label" options={relationOptions(true)} />
                    </Form.Item>
                  </Col>
                  <Col span={2} style={{ paddingTop: i === 0 ? 34 : 4 }}>
                    {fields.length > 1 && (
                      <MinusCircleOutlined
                        aria-label={tr('ui.people.removeMember')}
                        onClick={() => remove(f.name)}
                      />
                    )}
                  </Col>
                </Row>
              ))}
              <Form.ErrorList errors={errors} />
              <Button
                icon={<PlusOutlined />}
                onClick={() => add({ relation: undefined })}
                data-testid="add-member-row"
              >
                {tr('ui.people.addMember')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </SaveModal>
  );
}
