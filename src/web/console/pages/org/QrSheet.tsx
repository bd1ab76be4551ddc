import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Space, Spin } from 'antd';
import { useSearchParams } from 'react-router';
import { api, queryString } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { OrgUnitPicker } from '../../../shared/OrgUnitPicker.js';

interface BuildingRow {
  id: string;
  code: string;
  name: string;
  address: string | null;
}

/**
 * A printable sheet of building QR codes (A4, 4 across): stuck on each building's door. Opened by
 * its address without a unit, it asks for one instead of asking the server for nothing.
 */
export default function QrSheet() {
  const tr = useT();
  const [params, setParams] = useSearchParams();
  const orgUnitId = params.get('orgUnitId') || undefined;
  const { data, error } = useQuery({
    queryKey: ['qr-sheet', orgUnitId],
    enabled: !!orgUnitId,
    queryFn: () =>
      api<{ items: BuildingRow[] }>(`/api/buildings${queryString({ orgUnitId, pageSize: 200 })}`),
  });
  const picker = (
    <Space className="no-print" wrap style={{ marginBottom: 16 }}>
      <OrgUnitPicker
        value={orgUnitId}
        placeholder={tr('ui.qr.choose')}
        style={{ width: 360 }}
        onChange={(id) => setParams(id ? { orgUnitId: id } : {})}
      />
      {data?.items.length ? (
        <Button type="primary" onClick={() => window.print()}>
          {tr('ui.org.print')}
        </Button>
      ) : null}
    </Space>
  );
  if (!orgUnitId)
    return (
      <div data-testid="qr-sheet">
        {picker}
        <Alert type="info" showIcon title={tr('ui.qr.choose')} />
      </div>
    );
  if (error)
    return (
      <div data-testid="qr-sheet">
        {picker}
        <Alert type="error" showIcon title={error.message} />
      </div>
    );
  if (!data) return <Spin />;
  return (
    <div data-testid="qr-sheet">
      <style>
        {'@media print { .ant-layout-sider, .ant-layout-header, .no-print { display: none !important } }'}
      </style>
      {picker}
      {!data.items.length && <Alert type="info" showIcon title={tr('ui.qr.none')} />}
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(4, 1fr)', gap: 16 }}>
        {data.items.map((b) => (
          <div
            key={b.id}
            style={{ border: '1px dashed #aaa', padding: 12, textAlign: 'center', breakInside: 'avoid' }}
          >
            <img alt={b.code} src={`/api/buildings/${b.id}/qr.svg`} style={{ width: '100%' }} />
            <div style={{ fontWeight: 600 }}>{b.name}</div>
            <div style={{ fontSize: 12 }}>{b.address}</div>
            <div style={{ fontSize: 11, color: '#888' }}>{b.code}</div>
          </div>
        ))}
      </div>
    </div>
  );
}
