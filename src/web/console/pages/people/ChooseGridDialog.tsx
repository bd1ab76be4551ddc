import { App, Form } from 'antd';
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { OrgUnitPicker } from '../../../shared/OrgUnitPicker.js';
import { useFormSubmit } from '../../../shared/useFormSubmit.js';
import { SaveModal } from './common.js';

/**
 * 选择网格 for one house or many: houses an import placed by an address naming only their community
 * wait in its first grid until a grid of that community is chosen; their residents and households
 * follow. The server refuses a grid of another community under the grid field.
 */
export function ChooseGridDialog(props: { houseIds: string[]; onClose: (changed: boolean) => void }) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [kind, setKind] = useState<string | null>(null);
  const { busy, submit } = useFormSubmit(
    form,
    (v: { gridId: string }) =>
      api<{ houses: number; residents: number }>('/api/houses/grid', {
        method: 'POST',
        json: { houseIds: props.houseIds, gridId: v.gridId },
      }),
    (done) => {
      message.success(tr('ui.people.gridChosen', done));
      props.onClose(true);
    },
    'gridId',
  );
  return (
    <SaveModal
      title={tr('ui.people.chooseGridFor', { count: props.houseIds.length })}
      busy={busy}
      onSave={submit}
      onCancel={() => props.onClose(false)}
    >
      <Form form={form} layout="vertical" name="choose-grid" data-testid="choose-grid-form">
        <Form.Item
          name="gridId"
          label={tr('ui.people.grid')}
          extra={tr('ui.people.chooseGridHelp')}
          rules={[
            { required: true, message: tr('ui.people.pickGrid') },
            {
              validator: async () => {
                if (kind && kind !== 'grid') throw new Error(tr('ui.people.pickGrid'));
              },
            },
          ]}
        >
          <OrgUnitPicker
            placeholder={tr('ui.people.pickGrid')}
            onChange={(id, unit) => {
              form.setFieldValue('gridId', id);
              setKind(unit?.kind ?? null);
            }}
          />
        </Form.Item>
      </Form>
    </SaveModal>
  );
}
