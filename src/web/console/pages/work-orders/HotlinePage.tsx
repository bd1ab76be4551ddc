import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, DatePicker, Form, Space, Table, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd/es/upload/interface';
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { JobProgress, type JobView } from '../../../shared/JobProgress.js';
import { beijingDays } from '../../../shared/periods.js';

interface ImportResult {
  imported: number;
  updated: number;
  rejected: number;
  errors: { row: number; column: string; message: string }[];
  errorCount?: number;
}

/**
 * 12345 hotline workbooks: import one (a job; counts and row errors when it ends) and export the
 * replies in the same layout for the hotline centre.
 */
export default function HotlinePage() {
  const tr = useT();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [partial, setPartial] = useState(false);
  const [importJob, setImportJob] = useState<string | null>(null);
  const [imported, setImported] = useState<JobView | null>(null);
  const [exportJob, setExportJob] = useState<string | null>(null);
  const [exported, setExported] = useState<JobView | null>(null);
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const startImport = async () => {
    const file = files[0]?.originFileObj;
    if (!file) return;
    setBusy(true);
    setError(null);
    setImported(null);
    try {
      const body = new FormData();
      body.append('partial', String(partial));
      body.append('file', file);
      const { jobId } = await api<{ jobId: string }>('/api/work-orders/imports', { method: 'POST', body });
      setImportJob(jobId);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const startExport = async () => {
    setError(null);
    setExported(null);
    try {
      const { jobId } = await api<{ jobId: string }>('/api/work-orders/exports', {
        method: 'POST',
        json: range,
      });
      setExportJob(jobId);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const result = imported?.status === 'succeeded' ? (imported.result as unknown as ImportResult) : null;
  const exportResult =
    exported?.status === 'succeeded' ? (exported.result as { fileName: string; rows: number }) : null;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={error} closable onClose={() => setError(null)} />}
      <Card title={tr('ui.hotline.importTitle')}>
        <Typography.Paragraph type="secondary">{tr('ui.hotline.importHelp')}</Typography.Paragraph>
        <Space wrap>
          <Upload
            accept=".xlsx"
            maxCount={1}
            fileList={files}
            beforeUpload={() => false}
            onChange={(e) => setFiles(e.fileList.slice(-1))}
          >
            <Button icon={<UploadOutlined />}>{tr('ui.hotline.chooseFile')}</Button>
          </Upload>
          <Checkbox checked={partial} onChange={(e) => setPartial(e.target.checked)}>
            {tr('ui.hotline.partial')}
          </Checkbox>
          <Button type="primary" disabled={!files.length} loading={busy} onClick={startImport}>
            {tr('ui.hotline.startImport')}
          </Button>
        </Space>
        {importJob && (
          <div style={{ marginTop: 16 }}>
            <JobProgress key={importJob} jobId={importJob} onDone={setImported} />
          </div>
        )}
        {result && (
          <div style={{ marginTop: 12 }} data-testid="hotline-result">
            <Typography.Paragraph strong>
              {result.errors.length && !result.imported && !result.updated
                ? tr('ui.hotline.refused', { rejected: result.rejected })
                : tr('ui.hotline.done', {
                    imported: result.imported,
                    updated: result.updated,
                    rejected: result.rejected,
                  })}
            </Typography.Paragraph>
            {!!result.errors.length && (
              <Table
                size="small"
                rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
                dataSource={result.errors}
                pagination={{ pageSize: 10 }}
                columns={[
                  { title: tr('ui.hotline.row'), dataIndex: 'row', width: 70 },
                  { title: tr('ui.hotline.column'), dataIndex: 'column', width: 120 },
                  { title: tr('ui.hotline.problem'), dataIndex: 'message' },
                ]}
              />
            )}
          </div>
        )}
      </Card>
      <Card title={tr('ui.hotline.exportTitle')}>
        <Typography.Paragraph type="secondary">{tr('ui.hotline.exportHelp')}</Typography.Paragraph>
        <Form layout="inline">
          <Form.Item label={tr('ui.hotline.period')}>
            <DatePicker.RangePicker onChange={(v) => setRange(beijingDays(v))} />
          </Form.Item>
          <Form.Item>
            <Button icon={<DownloadOutlined />} onClick={startExport}>
              {tr('ui.hotline.startExport')}
            </Button>
          </Form.Item>
        </Form>
        {exportJob && (
          <div style={{ marginTop: 16 }}>
            <JobProgress key={exportJob} jobId={exportJob} onDone={setExported} />
          </div>
        )}
        {exportResult && exportJob && (
          <Typography.Paragraph style={{ marginTop: 12 }}>
            <a
              href={`/api/jobs/${exportJob}/download`}
              download={exportResult.fileName}
              data-testid="hotline-download"
            >
              {tr('ui.hotline.download', { name: exportResult.fileName, rows: exportResult.rows })}
            </a>
          </Typography.Paragraph>
        )}
      </Card>
    </Space>
  );
}
