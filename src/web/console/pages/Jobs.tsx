import { Card, Progress, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useT } from '../../shared/i18n.js';
import { JobProgress, type JobView } from '../../shared/JobProgress.js';
import { ServerTable, useServerList } from '../../shared/ServerTable.js';

interface JobRow extends JobView {
  createdAt: string;
  finishedAt: string | null;
}

const fmt = (v: string | null) =>
  v ? new Date(v).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '-';
const running = (s: JobView['status']) => s === 'queued' || s === 'running';

/** The caller's background jobs (imports, exports, reports): live progress while they run, then the outcome. */
export default function Jobs() {
  const tr = useT();
  const [status, setStatus] = useState<string>('');
  const { tableProps, query } = useServerList<JobRow>('/api/jobs', { status: status || undefined });
  // Job kinds and result fields come from the domains and are named in the catalogue; a result
  // field without a name there is internal (file flags, error lists) and is not shown.
  const named = (key: string) => tr(key) !== key;
  const kindName = (kind: string) =>
    named(`ui.jobs.kind.${kind}`) ? tr(`ui.jobs.kind.${kind}`) : tr('ui.jobs.kind.other');
  const outcome = (j: JobRow) => {
    const r = j.result ?? {};
    const parts = Object.entries(r)
      .filter(([k, v]) => (typeof v === 'number' || typeof v === 'string') && named(`ui.jobs.result.${k}`))
      .filter(([k]) => k !== 'fileName')
      .map(([k, v]) => `${tr(`ui.jobs.result.${k}`)}：${v}`);
    if (typeof r.masked === 'boolean') parts.push(tr(r.masked ? 'ui.jobs.masked' : 'ui.jobs.unmasked'));
    return parts.join('，');
  };
  return (
    <Card
      title={tr('ui.nav.jobs')}
      extra={
        <Segmented
          value={status}
          onChange={(v) => setStatus(String(v))}
          options={[
            { value: '', label: tr('ui.jobs.all') },
            ...(['running', 'succeeded', 'failed'] as const).map((s) => ({
              value: s,
              label: tr(`job.${s}`),
            })),
          ]}
        />
      }
    >
      <ServerTable<JobRow>
        {...tableProps}
        columns={[
          {
            title: tr('ui.jobs.kind'),
            dataIndex: 'kind',
            render: (k) => <span data-kind={k}>{kindName(k)}</span>,
          },
          { title: tr('ui.jobs.createdAt'), dataIndex: 'createdAt', render: fmt },
          {
            title: tr('ui.jobs.progress'),
            width: 360,
            render: (_, j) =>
              running(j.status) ? (
                <JobProgress jobId={j.id} cancellable onDone={() => query.refetch()} />
              ) : (
                <Space orientation="vertical" size={0} style={{ width: '100%' }}>
                  <Progress
                    percent={j.percent}
                    size="small"
                    status={
                      j.status === 'succeeded' ? 'success' : j.status === 'failed' ? 'exception' : 'normal'
                    }
                  />
                  <Typography.Text type="secondary">
                    <Tag>{tr(`job.${j.status}`)}</Tag>
                    {j.progressTotal ? `${j.progressDone} / ${j.progressTotal}` : ''}
                  </Typography.Text>
                </Space>
              ),
          },
          { title: tr('ui.jobs.finishedAt'), dataIndex: 'finishedAt', render: fmt },
          {
            title: tr('ui.jobs.outcome'),
            render: (_, j) =>
              j.error ? (
                <Typography.Text type="danger">{j.error}</Typography.Text>
              ) : j.result ? (
                <Space orientation="vertical" size={0}>
                  <Typography.Text>{outcome(j)}</Typography.Text>
                  {j.status === 'succeeded' && typeof j.result.fileName === 'string' && (
                    <a
                      href={`/api/jobs/${j.id}/download`}
                      download={j.result.fileName}
                      data-testid="jobs-download"
                    >
                      {tr('ui.jobs.download', { name: j.result.fileName })}
                    </a>
                  )}
                </Space>
              ) : (
                '-'
              ),
          },
        ]}
      />
    </Card>
  );
}
