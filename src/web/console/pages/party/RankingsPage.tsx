import { Card, Form, Radio, Select } from 'antd';
import { useState } from 'react';
import { useT } from '../../../shared/i18n.js';
import { OrgUnitPicker } from '../../../shared/OrgUnitPicker.js';
import { ServerTable, useServerList } from '../../../shared/ServerTable.js';
import { useSession } from '../../session.js';
import { recentQuarters } from './common.js';

interface Row {
  id: string;
  name: string;
  partyOrgName?: string;
  members?: number;
  points: number;
  rank: number;
}

/** The periods offered: recent quarters and the years they fall in. */
const periods = () => {
  const quarters = recentQuarters(8);
  const years = [...new Set(quarters.map((q) => q.slice(0, 4)))];
  return [...quarters, ...years];
};

/** 积分排行: members or branches of a street, community or grid, for a quarter or a year. */
export default function RankingsPage() {
  const tr = useT();
  const { me } = useSession();
  // the caller's own unit first (the one they act as), so the page opens with a ranking
  const acting = me.assignments.find((a) => a.id === me.actingAssignmentId) ?? me.assignments[0];
  const [orgUnitId, setOrgUnitId] = useState<string | undefined>(acting?.orgUnitId ?? undefined);
  const [period, setPeriod] = useState(recentQuarters()[0]);
  const [by, setBy] = useState<'member' | 'branch'>('member');
  return (
    <Card title={tr('ui.nav.partyRankings')}>
      <Form layout="inline" name="rankingScope" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={tr('ui.party.scope')}>
          <OrgUnitPicker value={orgUnitId} onChange={(v) => setOrgUnitId(v)} style={{ width: 260 }} />
        </Form.Item>
        <Form.Item label={tr('ui.party.period')}>
          <Select
            data-testid="period-select"
            style={{ width: 110 }}
            value={period}
            onChange={setPeriod}
            options={periods().map((p) => ({ value: p, label: p }))}
          />
        </Form.Item>
        <Form.Item>
          <Radio.Group
            optionType="button"
            value={by}
            onChange={(e) => setBy(e.target.value)}
            options={[
              { value: 'member', label: tr('ui.party.byMember') },
              { value: 'branch', label: tr('ui.party.byBranch') },
            ]}
          />
        </Form.Item>
      </Form>
      {orgUnitId ? (
        <Ranking key={by} orgUnitId={orgUnitId} period={period} by={by} />
      ) : (
        <p style={{ color: '#888' }}>{tr('ui.party.pickScope')}</p>
      )}
    </Card>
  );
}

function Ranking(props: { orgUnitId: string; period: string; by: 'member' | 'branch' }) {
  const tr = useT();
  const { tableProps } = useServerList<Row>('/api/party/rankings', props);
  return (
    <ServerTable<Row>
      {...tableProps}
      data-testid="rankings"
      columns={[
        { title: tr('ui.party.rank'), dataIndex: 'rank', width: 70 },
        { title: tr(props.by === 'member' ? 'ui.party.name' : 'ui.party.org'), dataIndex: 'name' },
        props.by === 'member'
          ? { title: tr('ui.party.org'), dataIndex: 'partyOrgName' }
          : { title: tr('ui.party.members'), dataIndex: 'members' },
        {
          title: tr(props.by === 'member' ? 'ui.party.total' : 'ui.party.average'),
          dataIndex: 'points',
        },
      ]}
    />
  );
}
