import { App, Col, Form, Input, InputNumber, Row, Select } from 'antd';
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { OrgUnitPicker } from '../../../shared/OrgUnitPicker.js';
import { useFormSubmit } from '../../../shared/useFormSubmit.js';
import { SaveModal, useKeys, useRequired } from './common.js';

/** A house as the list and the editor see it. */
export interface HouseRow {
  id: string;
  buildingId: string | null;
  unit: number | null;
  room: string | null;
  address: string;
  /** The grid with its community; null in the answer to a save. */
  gridName: string | null;
  use: string;
  area: number | null;
  ownerName: string | null;
  /** Placed by an address naming only its community: its grid is still to be chosen. */
  needsGrid: boolean;
  households: number | null;
  residents: number | null;
}

/**
 * Registering or editing a house: a room of a building (unit and room; the address is made from the
 * building) or a standalone address in a grid (bungalows, pastoral households). The building or grid
 * is fixed once registered; the room or address, use, area and owner can change.
 */
export function HouseForm(props: { house?: HouseRow; onClose: (saved?: HouseRow) => void }) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const h = props.house;
  // Creating: what the picked place is decides the fields; editing: what the house is.
  const [kind, setKind] = useState<string | null>(h ? (h.buildingId ? 'building' : 'grid') : null);
  const { busy, submit } = useFormSubmit(
    form,
    (v: Record<string, any>) => {
      const facts = { use: v.use, area: v.area ?? null, ownerName: v.ownerName?.trim() || null };
      const place =
        kind === 'building' ? { unit: v.unit ?? null, room: v.room.trim() } : { address: v.address.trim() };
      const body = h
        ? { ...facts, ...place }
        : {
            ...facts,
            ...place,
            ...(kind === 'building' ? { buildingId: v.placeId } : { gridId: v.placeId }),
          };
      return api<HouseRow>(h ? `/api/houses/${h.id}` : '/api/houses', {
        method: h ? 'PATCH' : 'POST',
        json: body,
      });
    },
    (saved) => {
      message.success(tr('ui.people.saved'));
      props.onClose(saved);
    },
    // The place's errors (gridId, buildingId, a room taken) belong to the place picker.
    h ? 'use' : 'placeId',
  );
  const required = useRequired();
  return (
    <SaveModal
      width={640}
      title={h ? `${tr('ui.people.edit')} · ${h.address}` : tr('ui.people.newHouse')}
      busy={busy}
      onSave={submit}
      onCancel={() => props.onClose()}
    >
      <Form
        form={form}
        layout="vertical"
        name="house"
        data-testid="house-form"
        initialValues={
          h
            ? {
                use: h.use,
                area: h.area,
                ownerName: h.ownerName,
                unit: h.unit,
                room: h.room,
                address: h.address,
              }
            : { use: 'selfOccupied' }
        }
      >
        {!h && (
          <Form.Item
            name="placeId"
            label={tr('ui.people.housePlace')}
            extra={tr('ui.people.housePlaceHint')}
            rules={[
              required('ui.people.housePlace'),
              {
                validator: async () => {
                  if (kind && kind !== 'grid' && kind !== 'building')
                    throw new Error(tr('ui.people.housePlaceKind'));
                },
              },
            ]}
          >
            <OrgUnitPicker
              placeholder={tr('ui.people.housePlace')}
              onChange={(id, unit) => {
                form.setFieldValue('placeId', id);
                setKind(unit?.kind ?? null);
              }}
            />
          </Form.Item>
        )}
        {kind === 'building' && (
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item name="unit" label={tr('ui.people.unit')}>
                <InputNumber min={1} max={99} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={16}>
              <Form.Item
                name="room"
                label={tr('ui.people.room')}
                rules={[required('ui.people.room'), { max: 20, message: tr('ui.people.roomTooLong') }]}
              >
                <Input placeholder="502" />
              </Form.Item>
            </Col>
          </Row>
        )}
        {kind === 'grid' && (
          <Form.Item
            name="address"
            label={tr('ui.people.houseAddress')}
            rules={[
              required('ui.people.houseAddress'),
              { max: 120, message: tr('ui.people.addressTooLong') },
            ]}
          >
            <Input placeholder={tr('ui.people.addressExample')} />
          </Form.Item>
        )}
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="use" label={tr('ui.people.use')} rules={[required('ui.people.use')]}>
              <Select options={useKeys.map((k) => ({ value: k, label: tr(`people.use.${k}`) }))} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="area" label={tr('ui.people.area')}>
              <InputNumber min={0.01} max={100000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="ownerName" label={tr('ui.people.owner')} rules={[{ max: 40 }]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </SaveModal>
  );
}
