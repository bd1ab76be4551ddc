import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, InputNumber, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { pointsCategories } from '../../../../modules/party/rules.js';
import { ApiError, api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { useFormSubmit } from '../../../shared/useFormSubmit.js';
import { useSession } from '../../session.js';
import type { Catalog, CatalogItem } from './common.js';

type ItemDraft = Omit<CatalogItem, 'id'>;

/** 积分细则: the 5+X catalogue in force (the branch's own or the nearest parent's), and a new version. */
export function CatalogPanel({ orgId }: { orgId: string }) {
  const tr = useT();
  const { can } = useSession();
  const [editing, setEditing] = useState(false);
  const catalog = useQuery({
    queryKey: ['party-catalog', orgId],
    queryFn: () => api<Catalog>(`/api/party/orgs/${orgId}/catalog`),
    retry: false,
  });
  const none = catalog.error instanceof ApiError && catalog.error.code === 'NO_CATALOG';
  if (editing)
    return (
      <CatalogEditor
        orgId={orgId}
        start={catalog.data?.items}
        onDone={() => {
          setEditing(false);
          void catalog.refetch();
        }}
      />
    );
  return (
    <>
      {catalog.error && <Alert type={none ? 'info' : 'error'} showIcon title={catalog.error.message} />}
      <Space style={{ margin: '12px 0' }}>
        {catalog.data && tr('ui.party.catalogVersion', { version: catalog.data.version })}
        {can('party.manage') && <Button onClick={() => setEditing(true)}>{tr('ui.party.newCatalog')}</Button>}
      </Space>
      {catalog.data && (
        <Table<CatalogItem>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={catalog.data.items}
          columns={[
            {
              title: tr('ui.party.categoryName'),
              dataIndex: 'category',
              render: (c) => tr(`ui.party.category.${c}`),
            },
            { title: tr('ui.party.item'), dataIndex: 'name' },
            { title: tr('ui.party.itemPoints'), dataIndex: 'points' },
            { title: tr('ui.party.capPerQuarter'), dataIndex: 'capPerQuarter' },
          ]}
        />
      )}
    </>
  );
}

function CatalogEditor(props: { orgId: string; start?: CatalogItem[]; onDone: () => void }) {
  const tr = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ items: ItemDraft[] }>();
  const start: ItemDraft[] =
    props.start?.map(({ category, name, points, capPerQuarter }) => ({
      category,
      name,
      points,
      capPerQuarter,
    })) ??
    pointsCategories.slice(0, 5).map((category) => ({ category, name: '', points: 1, capPerQuarter: 10 }));
  const { busy, submit } = useFormSubmit(
    form,
    (v: { items: ItemDraft[] }) => api(`/api/party/orgs/${props.orgId}/catalog`, { method: 'POST', json: v }),
    () => {
      message.success(tr('ui.party.catalogSaved'));
      props.onDone();
    },
    'items',
  );
  return (
    <Form form={form} name="pointsCatalog" initialValues={{ items: start }} style={{ marginTop: 12 }}>
      <Form.List name="items">
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((f) => (
              <Space key={f.key} align="baseline" wrap>
                <Form.Item name={[f.name, 'category']} rules={[{ required: true }]}>
                  <Select
                    style={{ width: 120 }}
                    aria-label={tr('ui.party.categoryName')}
                    options={pointsCategories.map((c) => ({ value: c, label: tr(`ui.party.category.${c}`) }))}
                  />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'name']}
                  rules={[{ required: true, min: 2, message: tr('ui.party.itemNameRequired') }]}
                >
                  <Input style={{ width: 240 }} maxLength={60} placeholder={tr('ui.party.item')} />
                </Form.Item>
                <Form.Item name={[f.name, 'points']} label={tr('ui.party.itemPoints')}>
                  <InputNumber min={-100} max={100} precision={0} />
                </Form.Item>
                <Form.Item name={[f.name, 'capPerQuarter']} label={tr('ui.party.capPerQuarter')}>
                  <InputNumber min={1} max={1000} precision={0} />
                </Form.Item>
                <MinusCircleOutlined aria-label={tr('ui.party.removeItem')} onClick={() => remove(f.name)} />
              </Space>
            ))}
            <Space style={{ display: 'flex' }}>
              <Button
                icon={<PlusOutlined />}
                onClick={() => add({ category: 'x', name: '', points: 1, capPerQuarter: 5 })}
              >
                {tr('ui.party.addItem')}
              </Button>
              <Button type="primary" loading={busy} onClick={submit}>
                {tr('ui.party.publishCatalog')}
              </Button>
              <Button onClick={props.onDone}>{tr('ui.cancel')}</Button>
            </Space>
            <Form.ErrorList errors={errors} />
          </>
        )}
      </Form.List>
    </Form>
  );
}
