import { Card, Form, Select, Tabs } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { addLocalMonths } from '../../../../platform/calendar/local-time.js';
import { useT } from '../../../shared/i18n.js';
import { useSession } from '../../session.js';
import { CatalogPanel } from './CatalogPanel.js';
import { Claims } from './Claims.js';
import { PartyOrgSelect, recentQuarters, thisMonth, usePartyOrgs } from './common.js';
import { QuarterPanel } from './QuarterPanel.js';
import { Sheet } from './Sheet.js';

/** The months a recorder may still be scoring: this one and the eleven before it. */
const recentMonths = () => Array.from({ length: 12 }, (_, i) => addLocalMonths(thisMonth(), -i));

/** 党员积分 5+X: the branch's monthly sheet, claims waiting, the quarter's review and publication, the catalogue. */
export default function PointsPage() {
  const tr = useT();
  const { can } = useSession();
  const orgs = usePartyOrgs();
  const [params, setParams] = useSearchParams();
  const branch = params.get('org') ?? orgs.data?.find((o) => o.kind === 'branch')?.id ?? orgs.data?.[0]?.id;
  const tab = params.get('tab') ?? 'sheet';
  const [month, setMonth] = useState(thisMonth());
  const [quarter, setQuarter] = useState(recentQuarters()[0]);
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next);
  };

  const tabs = [
    { key: 'sheet', label: tr('ui.party.tab.sheet'), show: true },
    { key: 'claims', label: tr('ui.party.tab.claims'), show: can('party.record') },
    { key: 'quarter', label: tr('ui.party.tab.quarter'), show: true },
    { key: 'catalog', label: tr('ui.party.tab.catalog'), show: true },
  ].filter((t) => t.show);

  return (
    <Card title={tr('ui.nav.partyPoints')}>
      <Form layout="inline" name="pointsScope" style={{ marginBottom: 8, rowGap: 8 }}>
        <Form.Item label={tr('ui.party.org')}>
          <PartyOrgSelect value={branch} onChange={(v) => set('org', v)} />
        </Form.Item>
        {tab === 'sheet' && (
          <Form.Item label={tr('ui.party.month')}>
            <Select
              data-testid="month-select"
              style={{ width: 120 }}
              value={month}
              onChange={setMonth}
              options={recentMonths().map((m) => ({ value: m, label: m }))}
            />
          </Form.Item>
        )}
        {tab === 'quarter' && (
          <Form.Item label={tr('ui.party.quarter')}>
            <Select
              data-testid="quarter-select"
              style={{ width: 120 }}
              value={quarter}
              onChange={setQuarter}
              options={recentQuarters().map((q) => ({ value: q, label: q }))}
            />
          </Form.Item>
        )}
      </Form>
      <Tabs activeKey={tab} onChange={(k) => set('tab', k)} items={tabs} />
      {branch && tab === 'sheet' && <Sheet orgId={branch} month={month} />}
      {branch && tab === 'claims' && <Claims orgId={branch} />}
      {branch && tab === 'quarter' && <QuarterPanel orgId={branch} quarter={quarter} />}
      {branch && tab === 'catalog' && <CatalogPanel orgId={branch} />}
    </Card>
  );
}
