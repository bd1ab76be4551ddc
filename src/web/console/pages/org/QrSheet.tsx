import { useQuery } from '@tanstack/react-query';
import { Button, Spin } from 'antd';
import { useSearchParams } from 'react-router';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';

interface BuildingRow {
  id: string;
  code: string;
  name: string;
  address: string | null;
}

/** A printable sheet of building QR codes (A4, 4 across): stuck on each building's door. */
export default function QrSheet() {
  const tr = useT();
  const [params] = useSearchParams();
  const orgUnitId = params.get('orgUnitId') ?? '';
  const { data } = useQuery({
    queryKey: ['qr-sheet', orgUnitId],
    queryFn: () => api<{ items: BuildingRow[] }>(`/api/buildings?orgUnitId=${orgUnitId}&pageSize=200`),
  });
  if (!data) return <Spin />;
  return (
    <div>
      <style>
        {'@media print { .ant-layout-sider, .ant-layout-header, .no-print { display: none !important } }'}
      </style>
      <Button className="no-print" type="primary" onClick={() => window.print()} style={{ marginBottom: 16 }}>
        {tr('ui.org.print')}
      </Button>
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
