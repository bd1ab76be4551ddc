import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Progress, Space, Typography } from 'antd';
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

const ended = (s: JobView['status']) => s === 'succeeded' || s === 'failed' || s === 'cancelled';

/**
 * Follows a background job (`GET /api/jobs/:id`, polled until it ends) with a progress bar, then its
 * result or error; `cancellable` adds a cancel button while it runs. Usage:
 *   {jobId && <JobProgress jobId={jobId} onDone={(job) => job.status === 'succeeded' && refetch()} />}
 */
export function JobProgress({
  jobId,
  onDone,
  cancellable = false,
}: {
  jobId: string;
  onDone?: (job: JobView) => void;
  cancellable?: boolean;
}) {
  const tr = useT();
  const qc = useQueryClient();
  const { data, error } = useQuery({
    queryKey: ['job', jobId],
    queryFn: () => api<JobView>(`/api/jobs/${jobId}`),
    refetchInterval: (q) => (q.state.error || (q.state.data && ended(q.state.data.status)) ? false : 700),
  });
  const finished = !!data && ended(data.status);
  const reported = useRef(false);
  useEffect(() => {
    if (!finished || !data || reported.current) return;
    reported.current = true;
    onDone?.(data);
  }, [finished, data, onDone]);

  if (error) return <Alert type="error" showIcon title={error.message} />;
  if (!data) return <Progress percent={0} status="active" />;
  const cancel = async () => {
    const next = await api<JobView>(`/api/jobs/${jobId}/cancel`, { method: 'POST' }).catch(() => null);
    if (next) qc.setQueryData(['job', jobId], next);
  };
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
      <Space>
        <Typography.Text type="secondary">
          {tr(`job.${data.status}`)}
          {data.progressTotal ? ` · ${data.progressDone} / ${data.progressTotal}` : ''}
        </Typography.Text>
        {cancellable && !finished && (
          <Button size="small" onClick={cancel}>
            {tr('ui.cancel')}
          </Button>
        )}
      </Space>
      {data.error && <Alert type="error" showIcon title={data.error} />}
    </Space>
  );
}
