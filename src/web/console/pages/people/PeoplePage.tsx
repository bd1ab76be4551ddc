import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Input, Select, Space, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useT } from '../../../shared/i18n.js';
import { OrgUnitPicker } from '../../../shared/OrgUnitPicker.js';
import { ServerTable, useServerList } from '../../../shared/ServerTable.js';
import { useSession } from '../../session.js';
import {
  careKeys,
  ethnicityName,
  ImportDialog,
  PeopleJobDialog,
  type ResidentRow,
  tagKeys,
  useCappedTotal,
} from './common.js';
import { ExportDialog } from './ExportDialog.js';
import { HouseholdForm } from './HouseholdForm.js';
import { Houses } from './Houses.js';
import { ResidentForm } from './ResidentForm.js';
import { StatsPanel } from './StatsPanel.js';
import { TransfersPanel } from './TransfersPanel.js';

interface Filters {
  q?: string;
  idNumber?: string;
  tag?: string;
  careGroup?: string;
  orgUnitId?: string;
}

function Residents() {
  const tr = useT();
  const { can } = useSession();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<Filters>({});
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [job, setJob] = useState<{ id: string; title: string } | null>(null);
  const tableProps = useCappedTotal(useServerList<ResidentRow>('/api/residents', { ...filters }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={tr('ui.people.nameOrPinyin')}
          style={{ width: 200 }}
          data-testid="resident-search"
          onSearch={(q) => setFilters((f) => ({ ...f, q: q || undefined }))}
        />
        <Input.Search
          allowClear
          placeholder={tr('ui.people.idNumber')}
          style={{ width: 220 }}
          onSearch={(idNumber) => setFilters((f) => ({ ...f, idNumber: idNumber || undefined }))}
        />
        <Select
          allowClear
          placeholder={tr('ui.people.anyTag')}
          style={{ width: 150 }}
          options={tagKeys.map((k) => ({ value: k, label: tr(`people.tag.${k}`) }))}
          onChange={(tag) => setFilters((f) => ({ ...f, tag }))}
        />
        <Select
          allowClear
          placeholder={tr('ui.people.anyCareGroup')}
          style={{ width: 150 }}
          options={careKeys.map((k) => ({ value: k, label: tr(`people.care.${k}`) }))}
          onChange={(careGroup) => setFilters((f) => ({ ...f, careGroup }))}
        />
        <OrgUnitPicker
          placeholder={tr('ui.people.orgUnit')}
          style={{ width: 240 }}
          onChange={(orgUnitId) => setFilters((f) => ({ ...f, orgUnitId }))}
        />
      </Space>
      <Space wrap>
        {can('resident.write') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {tr('ui.people.new')}
          </Button>
        )}
        {can('resident.import') && (
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="open-import">
            {tr('ui.people.import')}
          </Button>
        )}
        {can('resident.export') && (
          <Button icon={<DownloadOutlined />} onClick={() => setExporting(true)} data-testid="export">
            {tr('ui.people.export')}
          </Button>
        )}
      </Space>
      <ServerTable<ResidentRow>
        {...tableProps}
        data-testid="resident-table"
        columns={[
          {
            title: tr('ui.people.name'),
            dataIndex: 'name',
            sorter: true,
            render: (name, r) => <Link to={`/people/residents/${r.id}`}>{name}</Link>,
          },
          { title: tr('ui.people.gender'), dataIndex: 'gender', render: (g) => tr(`people.gender.${g}`) },
          { title: tr('ui.people.age'), dataIndex: 'age', sorter: false },
          { title: tr('ui.people.ethnicity'), dataIndex: 'ethnicity', render: ethnicityName },
          { title: tr('ui.people.idNumber'), dataIndex: 'idNumber' },
          { title: tr('ui.people.phone'), dataIndex: 'phone' },
          {
            title: tr('ui.people.residenceStatus'),
            dataIndex: 'residenceStatus',
            render: (s) => tr(`people.residence.${s}`),
          },
          {
            title: tr('ui.people.tags'),
            dataIndex: 'tags',
            render: (tags: string[], r) => (
              <>
                {r.careGroups.map((c) => (
                  <Tag key={c} color="gold">
                    {tr(`people.care.${c}`)}
                  </Tag>
                ))}
                {tags.map((t) => (
                  <Tag key={t}>{tr(`people.tag.${t}`)}</Tag>
                ))}
              </>
            ),
          },
          { title: tr('ui.people.address'), dataIndex: 'address' },
          { title: tr('org.kind.grid'), dataIndex: 'gridName' },
        ]}
        onRow={(r) => ({ onDoubleClick: () => navigate(`/people/residents/${r.id}`) })}
      />
      {creating && (
        <ResidentForm
          onClose={(saved) => {
            setCreating(false);
            if (saved) navigate(`/people/residents/${saved.id}`);
          }}
        />
      )}
      {importing && (
        <ImportDialog
          onClose={() => setImporting(false)}
          onStarted={(id) => {
            setImporting(false);
            setJob({ id, title: tr('ui.people.importTitle') });
          }}
        />
      )}
      {exporting && (
        <ExportDialog
          filters={filters}
          onClose={() => setExporting(false)}
          onStarted={(id) => {
            setExporting(false);
            setJob({ id, title: tr('ui.people.exportTitle') });
          }}
        />
      )}
      {job && (
        <PeopleJobDialog
          title={job.title}
          jobId={job.id}
          onClose={() => setJob(null)}
          onDone={() => qc.invalidateQueries({ queryKey: ['/api/residents'] })}
        />
      )}
    </Space>
  );
}

interface HouseholdRow {
  id: string;
  address: string;
  gridName: string | null;
  registrationType: string;
  headResidentId: string | null;
  headName: string | null;
  memberCount: number;
  firstMemberId: string | null;
}

function Households() {
  const tr = useT();
  const { can } = useSession();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const [filters, setFilters] = useState<{ q?: string; orgUnitId?: string; withoutHead?: 'true' }>({});
  const tableProps = useCappedTotal(useServerList<HouseholdRow>('/api/households', filters));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={tr('ui.people.head')}
          style={{ width: 200 }}
          onSearch={(q) => setFilters((f) => ({ ...f, q: q || undefined }))}
        />
        <OrgUnitPicker
          placeholder={tr('ui.people.orgUnit')}
          style={{ width: 240 }}
          onChange={(orgUnitId) => setFilters((f) => ({ ...f, orgUnitId }))}
        />
        <Select
          style={{ width: 180 }}
          value={filters.withoutHead ?? 'all'}
          data-testid="household-without-head"
          options={[
            { value: 'all', label: tr('ui.people.allHouseholds') },
            { value: 'true', label: tr('ui.people.withoutHead') },
          ]}
          onChange={(v) => setFilters((f) => ({ ...f, withoutHead: v === 'true' ? 'true' : undefined }))}
        />
        {can('resident.write') && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="new-household"
          >
            {tr('ui.people.newHousehold')}
          </Button>
        )}
      </Space>
      <ServerTable<HouseholdRow>
        {...tableProps}
        columns={[
          {
            title: tr('ui.people.head'),
            dataIndex: 'headName',
            // The head's page shows the household and its 户主变更; without a head, a member's page does.
            render: (n, h) =>
              h.headResidentId ? (
                <Link to={`/people/residents/${h.headResidentId}`}>{n}</Link>
              ) : (
                <Space size={4}>
                  <Tag color="orange">{tr('ui.people.noHead')}</Tag>
                  {h.firstMemberId && (
                    <Link to={`/people/residents/${h.firstMemberId}`}>{tr('ui.people.changeHead')}</Link>
                  )}
                </Space>
              ),
          },
          { title: tr('ui.people.address'), dataIndex: 'address' },
          { title: tr('org.kind.grid'), dataIndex: 'gridName' },
          {
            title: tr('ui.people.registrationType'),
            dataIndex: 'registrationType',
            render: (k) => tr(`people.registration.${k}`),
          },
          { title: tr('ui.people.members'), dataIndex: 'memberCount' },
        ]}
      />
      {creating && (
        <HouseholdForm
          onClose={(saved) => {
            setCreating(false);
            // The head's page shows the new household, ready for more members.
            if (saved) navigate(`/people/residents/${saved.headResidentId}`);
          }}
        />
      )}
    </Space>
  );
}

function Stats() {
  const tr = useT();
  const [orgUnitId, setOrgUnitId] = useState<string | undefined>();
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <OrgUnitPicker placeholder={tr('ui.people.orgUnit')} style={{ width: 280 }} onChange={setOrgUnitId} />
      <StatsPanel orgUnitId={orgUnitId} />
    </Space>
  );
}

/** 人口登记: residents, households, houses, statistics and 迁入申请, each a tab (`?tab=` opens one). */
export default function PeoplePage() {
  const tr = useT();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  return (
    <Tabs
      destroyOnHidden
      activeKey={params.get('tab') ?? 'residents'}
      onChange={(tab) => setParams({ tab }, { replace: true })}
      items={[
        { key: 'residents', label: tr('ui.people.residents'), children: <Residents /> },
        { key: 'households', label: tr('ui.people.households'), children: <Households /> },
        { key: 'houses', label: tr('ui.people.houses'), children: <Houses /> },
        { key: 'stats', label: tr('ui.people.stats'), children: <Stats /> },
        ...(can('resident.write') || can('resident.transfer')
          ? [{ key: 'transfers', label: tr('ui.transfers.tab'), children: <TransfersPanel /> }]
          : []),
      ]}
    />
  );
}
