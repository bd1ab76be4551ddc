import { useQuery } from '@tanstack/react-query';
import { Alert, Progress, Space, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { api } from './api.js';
import { useT } from './i18n.js';

export interface JobView {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progressDone: number;
  progressTotal: number | null;
  percent: number;
  result: Record<string, unknown> | null;
  error: string | null;
}

/** Follows a background job until it ends; shows its progress bar, then its result or error. */
export function JobProgress({ jobId, onDone }: { jobId: string; onDone?: (job: JobView) => void }) {
  const tr = useT();
  const { data } = useQuery({
    queryKey: ['job', jobId],
    queryFn: () => api<JobView>(`/api/jobs/${jobId}`),
    refetchInterval: (q) =>
      q.state.data && ['succeeded', 'failed', 'cancelled'].includes(q.state.data.status) ? false : 700,
  });
  const finished = data && ['succeeded', 'failed', 'cancelled'].includes(data.status);
  const reported = useRef(false);
  useEffect(() => {
    if (!finished || !data || reported.current) return;
    reported.current = true;
    onDone?.(data);
  }, [finished, data, onDone]);
  if (!data) return <Progress percent={0} status="active" />;
  return (
    <Space
      orientation="vertical"
      style={{ width: '100%' }}
      data-testid="job-progress"
      data-status={data.status}
    >
      <Progress
        percent={data.percent}
        status={data.status === 'failed' ? 'exception' : data.status === 'succeeded' ? 'success' : 'active'}
      />
      <Typography.Text type="secondary">
        {tr(`job.${data.status}`)}
        {data.progressTotal ? ` · ${data.progressDone} / ${data.progressTotal}` : ''}
      </Typography.Text>
      {data.error && <Alert type="error" showIcon title={data.error} />}
    </Space>
  );
}
