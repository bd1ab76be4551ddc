import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Input, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useT } from '../../../shared/i18n.js';
import { OrgUnitPicker } from '../../../shared/OrgUnitPicker.js';
import { ServerTable, useServerList } from '../../../shared/ServerTable.js';
import { useSession } from '../../session.js';
import { ChooseGridDialog } from './ChooseGridDialog.js';
import { ImportDialog, PeopleJobDialog, useCappedTotal, useKeys } from './common.js';
import { HouseForm, type HouseRow } from './HouseForm.js';

type Filters = {
  q?: string;
  use?: string;
  orgUnitId?: string;
  needsGrid?: 'true';
};

/**
 * 房屋: the register's houses, filtered on the server; houses waiting for a grid (an import placed
 * them by an address naming only their community) are tagged and can be listed alone, and their
 * grid chosen one at a time or for all the selected standalone houses at once.
 */
export function Houses() {
  const tr = useT();
  const { can } = useSession();
  const qc = useQueryClient();
  const writer = can('resident.write');
  // A house being edited, or `true` while registering a new one.
  const [editing, setEditing] = useState<HouseRow | true | null>(null);
  const [filters, setFilters] = useState<Filters>({});
  const [selected, setSelected] = useState<string[]>([]);
  const [choosing, setChoosing] = useState<string[] | null>(null);
  const [importing, setImporting] = useState(false);
  const [job, setJob] = useState<string | null>(null);
  const tableProps = useCappedTotal(useServerList<HouseRow>('/api/houses', filters));
  const refresh = () => qc.invalidateQueries({ queryKey: ['/api/houses'] });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={tr('ui.people.address')}
          style={{ width: 220 }}
          onSearch={(q) => setFilters((f) => ({ ...f, q: q || undefined }))}
        />
        <Select
          allowClear
          placeholder={tr('ui.people.use')}
          style={{ width: 140 }}
          options={useKeys.map((k) => ({ value: k, label: tr(`people.use.${k}`) }))}
          onChange={(use) => setFilters((f) => ({ ...f, use }))}
        />
        <Select
          style={{ width: 140 }}
          value={filters.needsGrid ?? 'all'}
          data-testid="house-needs-grid"
          options={[
            { value: 'all', label: tr('ui.people.allHouses') },
            { value: 'true', label: tr('ui.people.needsGrid') },
          ]}
          onChange={(v) => {
            setSelected([]);
            setFilters((f) => ({ ...f, needsGrid: v === 'true' ? 'true' : undefined }));
          }}
        />
        <OrgUnitPicker
          placeholder={tr('ui.people.orgUnit')}
          style={{ width: 240 }}
          onChange={(orgUnitId) => setFilters((f) => ({ ...f, orgUnitId }))}
        />
        {writer && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing(true)}
            data-testid="new-house"
          >
            {tr('ui.people.newHouse')}
          </Button>
        )}
        {can('resident.import') && (
          <Button
            icon={<UploadOutlined />}
            onClick={() => setImporting(true)}
            data-testid="open-house-import"
          >
            {tr('ui.people.importHouses')}
          </Button>
        )}
        {writer && selected.length > 0 && (
          <Button onClick={() => setChoosing(selected)} data-testid="choose-grid-selected">
            {tr('ui.people.chooseGridFor', { count: selected.length })}
          </Button>
        )}
      </Space>
      <ServerTable<HouseRow>
        {...tableProps}
        rowSelection={
          writer
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys as string[]),
                // A room's grid is its building's: only standalone houses get one chosen.
                getCheckboxProps: (h) => ({ disabled: !!h.buildingId }),
              }
            : undefined
        }
        columns={[
          {
            title: tr('ui.people.address'),
            dataIndex: 'address',
            sorter: true,
            render: (address: string, h) => (
              <>
                {address}
                {h.needsGrid && (
                  <Tag color="orange" style={{ marginLeft: 8 }}>
                    {tr('ui.people.needsGrid')}
                  </Tag>
                )}
              </>
            ),
          },
          {
            title: tr('org.kind.grid'),
            dataIndex: 'gridName',
            // A house waiting for its grid sits in the community's first one only until it is chosen.
            render: (name: string | null, h) => (h.needsGrid ? '—' : name),
          },
          { title: tr('ui.people.use'), dataIndex: 'use', render: (k) => tr(`people.use.${k}`) },
          { title: tr('ui.people.area'), dataIndex: 'area' },
          { title: tr('ui.people.owner'), dataIndex: 'ownerName' },
          { title: tr('ui.people.householdCount'), dataIndex: 'households' },
          { title: tr('ui.people.residents'), dataIndex: 'residents' },
          ...(writer
            ? [
                {
                  title: tr('ui.actions'),
                  key: 'actions',
                  render: (_: unknown, h: HouseRow) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => setEditing(h)}>
                        {tr('ui.people.edit')}
                      </Button>
                      {h.needsGrid && (
                        <Button type="link" size="small" onClick={() => setChoosing([h.id])}>
                          {tr('ui.people.chooseGrid')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
        data-testid="house-table"
      />
      {editing && (
        <HouseForm
          house={editing === true ? undefined : editing}
          onClose={(saved) => {
            setEditing(null);
            if (saved) refresh();
          }}
        />
      )}
      {choosing && (
        <ChooseGridDialog
          houseIds={choosing}
          onClose={(changed) => {
            setChoosing(null);
            if (!changed) return;
            setSelected([]);
            refresh();
          }}
        />
      )}
      {importing && (
        <ImportDialog
          what="houses"
          onClose={() => setImporting(false)}
          onStarted={(id) => {
            setImporting(false);
            setJob(id);
          }}
        />
      )}
      {job && (
        <PeopleJobDialog
          title={tr('ui.people.importHousesTitle')}
          jobId={job}
          onClose={() => setJob(null)}
          onDone={refresh}
        />
      )}
    </Space>
  );
}
