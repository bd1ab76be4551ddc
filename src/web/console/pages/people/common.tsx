import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Form, Modal, Table, type TableProps, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ethnicGroups } from '../../../../modules/people/codes.js';
import { api, applyFieldErrors, validValues } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { JobProgress, type JobView } from '../../../shared/JobProgress.js';
import type { PageResult } from '../../../shared/ServerTable.js';

export const genderKeys = ['male', 'female'] as const;
export const residenceKeys = ['registered', 'permanent', 'floating', 'lodging'] as const;
export const careKeys = ['elderly', 'child', 'inDifficulty'] as const;
export const tagKeys = [
  'livesAlone',
  'emptyNest',
  'disabled',
  'lowIncome',
  'extremePoverty',
  'orphan',
  'seriousIllness',
  'leftBehindChild',
  'leftBehindElderly',
  'veteran',
  'overseasFamily',
  'gigWorker',
] as const;
export const useKeys = ['selfOccupied', 'rented', 'vacant', 'business'] as const;

/**
 * People lists count only up to 10,000 matches (counting a whole district took seconds): then the
 * pager's total reads 「超过 10000 条」 and pages through the first 10,000.
 */
export function useCappedTotal<T>(list: {
  query: { data?: PageResult<T> };
  tableProps: TableProps<T>;
}): TableProps<T> {
  const tr = useT();
  const { pagination } = list.tableProps;
  if (!list.query.data?.totalCapped || !pagination) return list.tableProps;
  return {
    ...list.tableProps,
    pagination: { ...pagination, showTotal: (n) => tr('ui.people.totalCapped', { total: n }) },
  };
}

/** GB 3304 names are data (the standard's own Chinese names), shown as they are in every language. */
export const ethnicityOptions = Object.entries(ethnicGroups).map(([value, label]) => ({ value, label }));
/** An editor's dialog: its title, 保存 (spinning while sending) and 取消. */
export function SaveModal(props: {
  title: string;
  width?: number;
  busy: boolean;
  onSave: () => void;
  onCancel: () => void;
  children: React.ReactNode;
}) {
  const tr = useT();
  return (
    <Modal
      open
      width={props.width}
      title={props.title}
      onOk={props.onSave}
      confirmLoading={props.busy}
      onCancel={props.onCancel}
      okText={tr('ui.save')}
      cancelText={tr('ui.cancel')}
      destroyOnHidden
    >
      {props.children}
    </Modal>
  );
}

/** A required-field rule saying, in the user's language, which field is missing (a message key). */
export function useRequired() {
  const tr = useT();
  return (field: string) => ({ required: true, message: tr('ui.people.required', { field: tr(field) }) });
}

export const ethnicityName = (code: string) => ethnicGroups[code] ?? code;

export interface ResidentRow {
  id: string;
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  age: number;
  ethnicity: string;
  documentType: string;
  idNumber: string;
  phone: string | null;
  residenceStatus: string;
  politicalStatus: string;
  education: string | null;
  employer: string | null;
  tags: string[];
  careGroups: string[];
  advancedAge: boolean;
  status: string;
  gridId: string;
  /** The grid with its community ("吉劳庆社区 第5网格"). */
  gridName: string | null;
  houseId: string | null;
  address: string | null;
  householdId: string | null;
  relation: string | null;
}

interface ExchangeResult {
  fileName?: string;
  rows?: number;
  imported?: number;
  updated?: number;
  unchanged?: number;
  rejected?: number;
  written?: boolean;
  masked?: boolean;
  rejectedFile?: boolean;
  errors?: { row: number; column: string; message: string }[];
  householdsCreated?: number;
  householdsJoined?: number;
  householdsWithoutHead?: number;
  placedByCode?: number;
  placedByAddress?: number;
  placedAtCommunity?: number;
  buildingsCreated?: number;
  transferRequested?: number;
  transfers?: { row: number; message: string }[];
}

/** An import or export job in a modal: progress, then counts, row errors and the file to download. */
export function PeopleJobDialog(props: {
  title: string;
  jobId: string;
  onClose: () => void;
  onDone?: () => void;
}) {
  const tr = useT();
  const [job, setJob] = useState<JobView | null>(null);
  const result = job?.result as ExchangeResult | undefined;
  const ok = job?.status === 'succeeded';
  return (
    <Modal
      open
      title={props.title}
      onCancel={props.onClose}
      footer={<Button onClick={props.onClose}>{tr('ui.close')}</Button>}
      width={680}
    >
      <JobProgress
        jobId={props.jobId}
        onDone={(j) => {
          setJob(j);
          if (j.status === 'succeeded') props.onDone?.();
        }}
      />
      {ok && result?.imported !== undefined && (
        <Alert
          style={{ marginTop: 12 }}
          data-testid="import-result"
          type={result.written ? (result.rejected ? 'warning' : 'success') : 'error'}
          showIcon
          title={
            result.written
              ? tr('ui.people.imported', {
                  imported: result.imported,
                  updated: result.updated ?? 0,
                  unchanged: result.unchanged ?? 0,
                  rejected: result.rejected ?? 0,
                })
              : tr('ui.people.importRefused', { rejected: result.rejected ?? 0 })
          }
          description={
            result.written && result.placedByCode !== undefined ? (
              <>
                {result.householdsCreated !== undefined
                  ? tr('ui.people.importedHouseholds', {
                      byAddress: result.placedByAddress ?? 0,
                      created: result.householdsCreated,
                      joined: result.householdsJoined ?? 0,
                      headless: result.householdsWithoutHead ?? 0,
                    })
                  : tr('ui.people.importedPlaces', {
                      byCode: result.placedByCode,
                      byAddress: result.placedByAddress ?? 0,
                      buildings: result.buildingsCreated ?? 0,
                    })}
                {!!result.placedAtCommunity && (
                  <div data-testid="import-at-community">
                    {tr('ui.people.importedAtCommunity', { count: result.placedAtCommunity })}
                  </div>
                )}
              </>
            ) : undefined
          }
        />
      )}
      {ok && result?.written && !!result.transferRequested && (
        <Alert
          style={{ marginTop: 12 }}
          data-testid="import-transfers"
          type="info"
          showIcon
          title={tr('ui.people.importedTransfers', {
            count: result.transferRequested,
            rows: (result.transfers ?? []).map((x) => x.row).join('、'),
          })}
        />
      )}
      {ok && result?.masked !== undefined && (
        <Alert
          style={{ marginTop: 12 }}
          type={result.masked ? 'info' : 'warning'}
          showIcon
          title={tr(result.masked ? 'ui.people.exportMasked' : 'ui.people.exportFull')}
        />
      )}
      {ok && result?.fileName && (
        <Typography.Paragraph style={{ marginTop: 12 }}>
          <a href={`/api/jobs/${props.jobId}/download`} download={result.fileName} data-testid="job-download">
            {result.imported !== undefined
              ? tr('ui.people.rejectedFile')
              : tr('ui.people.exportDone', { name: result.fileName, rows: result.rows ?? 0 })}
          </a>
          {result.imported === undefined && (
            <Typography.Text type="secondary" style={{ display: 'block' }}>
              <Link to="/jobs">{tr('ui.people.exportInJobs')}</Link>
            </Typography.Text>
          )}
        </Typography.Paragraph>
      )}
      {!!result?.errors?.length && (
        <Table
          size="small"
          data-testid="import-errors"
          rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
          dataSource={result.errors}
          pagination={{ pageSize: 8 }}
          columns={[
            { title: tr('ui.people.row'), dataIndex: 'row', width: 70 },
            { title: tr('ui.people.column'), dataIndex: 'column', width: 120 },
            { title: tr('ui.people.problem'), dataIndex: 'message' },
          ]}
        />
      )}
    </Modal>
  );
}

/** The workbook import of residents (the default) or of houses: the file, 只导入无误的行, 新建楼栋. */
export function ImportDialog(props: {
  onStarted: (jobId: string) => void;
  onClose: () => void;
  what?: 'residents' | 'houses';
}) {
  const houses = props.what === 'houses';
  const tr = useT();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    setBusy(true);
    try {
      const body = new FormData();
      body.append('file', v.file[0].originFileObj);
      const file = await api<{ id: string }>('/api/files', { method: 'POST', body });
      const { jobId } = await api<{ jobId: string }>(
        houses ? '/api/houses/imports' : '/api/residents/imports',
        {
          method: 'POST',
          json: { fileId: file.id, partial: !!v.partial, createBuildings: !!v.createBuildings },
        },
      );
      props.onStarted(jobId);
    } catch (err) {
      if (!applyFieldErrors(form, err)) form.setFields([{ name: 'file', errors: [(err as Error).message] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={tr(houses ? 'ui.people.importHousesTitle' : 'ui.people.importTitle')}
      onOk={submit}
      confirmLoading={busy}
      onCancel={props.onClose}
      okText={tr('ui.people.startImport')}
      okButtonProps={{ 'data-testid': 'start-import' } as Record<string, string>}
      cancelText={tr('ui.cancel')}
    >
      <Form form={form} layout="vertical" initialValues={{ partial: false, createBuildings: false }}>
        {!houses && (
          <p>
            <a
              href="/api/residents/import-template"
              download="居民导入模板.xlsx"
              data-testid="import-template"
            >
              <DownloadOutlined /> {tr('ui.people.template')}
            </a>
          </p>
        )}
        <Form.Item
          name="file"
          valuePropName="fileList"
          getValueFromEvent={(e) => (Array.isArray(e) ? e : e?.fileList)?.slice(-1)}
          rules={[{ required: true, message: tr('ui.people.chooseFile') }]}
          extra={tr(houses ? 'ui.people.importHousesHelp' : 'ui.people.importHelp')}
        >
          <Upload beforeUpload={() => false} accept=".xlsx" maxCount={1}>
            <Button icon={<UploadOutlined />}>{tr('ui.people.chooseFile')}</Button>
          </Upload>
        </Form.Item>
        <Form.Item name="partial" valuePropName="checked">
          <Checkbox>{tr('ui.people.partial')}</Checkbox>
        </Form.Item>
        <Form.Item name="createBuildings" valuePropName="checked">
          <Checkbox data-testid="create-buildings">{tr('ui.people.createBuildings')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
