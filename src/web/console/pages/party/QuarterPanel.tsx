import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Popconfirm, Space, Table } from 'antd';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { useSession } from '../../session.js';
import { type QuarterStatus, QuarterTag, when } from './common.js';
import { type Objection, Objections } from './Objections.js';

interface Score {
  memberId: string;
  name: string;
  study: number;
  service: number;
  prosperity: number;
  discipline: number;
  integrity: number;
  x: number;
  total: number;
  rank: number;
}

interface Quarter {
  id: string | null;
  partyOrgName: string;
  quarter: string;
  status: QuarterStatus;
  publishedAt: string | null;
  objectionUntil: string | null;
  scores: Score[];
  objections: Objection[];
}

/** The step each state offers: 季评关闭 → 亮分公示 → 确认入存折. */
const nextStep: Partial<Record<QuarterStatus, 'review' | 'publish' | 'finalise'>> = {
  open: 'review',
  reviewed: 'publish',
  published: 'finalise',
};
const categories = ['study', 'service', 'prosperity', 'discipline', 'integrity', 'x'] as const;

/** 季评与亮分公示: the quarter's scores by category and rank, its next step, the notice-board PDF, objections. */
export function QuarterPanel({ orgId, quarter }: { orgId: string; quarter: string }) {
  const tr = useT();
  const { can } = useSession();
  const { message } = App.useApp();
  const q = useQuery({
    queryKey: ['party-quarter', orgId, quarter],
    queryFn: () => api<Quarter>(`/api/party/orgs/${orgId}/quarters/${quarter}`),
  });
  if (q.error) return <Alert type="error" showIcon title={q.error.message} />;
  const data = q.data;
  const step = data && nextStep[data.status];
  const run = async () => {
    try {
      await api(`/api/party/orgs/${orgId}/quarters/${quarter}/${step}`, { method: 'POST' });
      message.success(tr(`ui.party.step.${step}.done`, { quarter }));
      await q.refetch();
    } catch (err) {
      message.error((err as Error).message);
    }
  };
  const published = data?.status === 'published' || data?.status === 'final';
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        {data && <QuarterTag status={data.status} />}
        {step && can('party.review') && (
          <Popconfirm
            title={tr(`ui.party.step.${step}.confirm`, { quarter })}
            okText={tr('ui.party.confirm')}
            cancelText={tr('ui.cancel')}
            onConfirm={run}
          >
            <Button type="primary">{tr(`ui.party.step.${step}`)}</Button>
          </Popconfirm>
        )}
        {published && (
          <Button
            icon={<DownloadOutlined />}
            href={`/api/party/orgs/${orgId}/quarters/${quarter}/pdf`}
            download
          >
            {tr('ui.party.pdf')}
          </Button>
        )}
      </Space>
      {data?.objectionUntil && (
        <Descriptions size="small" style={{ marginBottom: 12 }}>
          <Descriptions.Item label={tr('ui.party.publishedAt')}>{when(data.publishedAt)}</Descriptions.Item>
          <Descriptions.Item label={tr('ui.party.objectionUntil')}>
            {when(data.objectionUntil)}
          </Descriptions.Item>
        </Descriptions>
      )}
      <Table<Score>
        data-testid="quarter-scores"
        size="small"
        rowKey="memberId"
        loading={q.isFetching}
        dataSource={data?.scores ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: tr('ui.party.rank'), dataIndex: 'rank', width: 60 },
          { title: tr('ui.party.name'), dataIndex: 'name' },
          ...categories.map((c) => ({ title: tr(`ui.party.category.${c}`), dataIndex: c })),
          { title: tr('ui.party.total'), dataIndex: 'total', render: (t: number) => <b>{t}</b> },
        ]}
      />
      {data && data.objections.length > 0 && (
        <Objections items={data.objections} onAnswered={() => void q.refetch()} />
      )}
    </>
  );
}
