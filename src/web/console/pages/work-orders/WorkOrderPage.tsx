import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Row,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { ActionDialog } from './ActionDialog.js';
import {
  actionLabel,
  Due,
  type EventType,
  fmt,
  StatusTag,
  UrgencyTag,
  type WorkOrderDetail,
} from './common.js';
import { LocationMap } from './LocationMap.js';
import { Photos, WhistleTable } from './parts.js';

const eventColors: Partial<Record<EventType, string>> = {
  created: 'gray',
  rejected: 'red',
  verificationFailed: 'red',
  returned: 'red',
  reopened: 'red',
  supervised: 'red',
  whistled: 'orange',
  resolved: 'green',
  verified: 'green',
  closed: 'green',
};

/** One work order: what, where, the timeline, the whistles, and only the steps this caller may take now. */
export default function WorkOrderPage() {
  const tr = useT();
  const { id } = useParams();
  const qc = useQueryClient();
  const key = ['work-order', id];
  const q = useQuery({ queryKey: key, queryFn: () => api<WorkOrderDetail>(`/api/work-orders/${id}`) });
  const [acting, setActing] = useState<Exclude<EventType, 'created'> | null>(null);

  if (q.isLoading) return <Spin style={{ margin: 48 }} />;
  if (q.error || !q.data)
    return <Alert type="error" showIcon title={tr('ui.loadFailed', { message: q.error?.message ?? '' })} />;
  const o = q.data;
  const photos = o.timeline.find((e) => e.type === 'created')?.photos ?? [];
  // "accepted" after a dispatch is the handler signing for it (签收), not the community's 受理.
  const eventLabel = (type: EventType, i: number) =>
    type === 'accepted' &&
    o.timeline.slice(0, i).some((x) => x.type === 'dispatched' || x.type === 'transferred')
      ? tr('workOrder.event.signed')
      : tr(`workOrder.event.${type}`);
  const allowed = o.allowed.filter((a): a is Exclude<EventType, 'created'> => a !== 'created');

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space wrap>
            <Link to="/work-orders" title={tr('ui.wo.back')}>
              <ArrowLeftOutlined />
            </Link>
            <span data-testid="wo-number">{o.number}</span>
            <StatusTag status={o.status} />
            <UrgencyTag urgency={o.urgency} />
            {o.outcome && <Tag>{tr(`workOrder.outcome.${o.outcome}`)}</Tag>}
            {o.rating && <Tag color="purple">{tr(`workOrder.rating.${o.rating}`)}</Tag>}
            {o.problem && <Tag color="magenta">{tr('ui.wo.problemTag')}</Tag>}
          </Space>
        }
      >
        <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="wo-title">
          {o.title}
        </Typography.Title>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 3 }}
          items={[
            { key: 'category', label: tr('ui.wo.category'), children: o.categoryName },
            { key: 'channel', label: tr('ui.wo.channel'), children: tr(`workOrder.channel.${o.channel}`) },
            { key: 'place', label: tr('ui.wo.place'), children: o.placeName ?? '-' },
            { key: 'address', label: tr('ui.wo.address'), children: o.address ?? '-' },
            {
              key: 'reporter',
              label: tr('ui.wo.reporter'),
              children: [o.reporterName ?? tr('ui.wo.anonymous'), o.reporterPhone]
                .filter(Boolean)
                .join(' · '),
            },
            { key: 'created', label: tr('ui.wo.createdAt'), children: fmt(o.createdAt) },
            {
              key: 'due',
              label: tr('ui.wo.dueAt'),
              children: <Due at={o.dueAt} overdue={o.overdue} />,
            },
            {
              key: 'handler',
              label: tr('ui.wo.handler'),
              children: <span data-testid="wo-handler">{o.handlerName ?? '-'}</span>,
            },
            ...(o.followUpDueAt
              ? [{ key: 'followUp', label: tr('ui.wo.followUpDue'), children: fmt(o.followUpDueAt) }]
              : []),
            ...(o.reworkCount || o.returnCount
              ? [
                  {
                    key: 'rework',
                    label: tr('ui.wo.status'),
                    children: [
                      o.reworkCount ? tr('ui.wo.rework', { n: o.reworkCount }) : '',
                      o.returnCount ? tr('ui.wo.returns', { n: o.returnCount }) : '',
                    ]
                      .filter(Boolean)
                      .join(' · '),
                  },
                ]
              : []),
          ]}
        />
        <Typography.Paragraph style={{ marginTop: 12, whiteSpace: 'pre-wrap' }} data-testid="wo-description">
          {o.description}
        </Typography.Paragraph>
        {o.answers.length > 0 && (
          <Descriptions
            size="small"
            bordered
            column={1}
            title={tr('ui.wo.answers')}
            data-testid="wo-answers"
            style={{ marginBottom: 12 }}
            items={o.answers.map((a) => ({ key: a.code, label: a.description, children: a.value }))}
          />
        )}
        <Photos photos={photos} />
      </Card>

      <Card title={tr('ui.wo.actionsTitle')} size="small">
        {allowed.length ? (
          <Space wrap data-testid="wo-actions">
            {allowed.map((a) => (
              <Button
                key={a}
                type={
                  ['accepted', 'dispatched', 'resolved', 'verified', 'acknowledged'].includes(a)
                    ? 'primary'
                    : 'default'
                }
                danger={['rejected', 'verificationFailed', 'returned', 'reopened'].includes(a)}
                onClick={() => setActing(a)}
                data-action={a}
              >
                {actionLabel(tr, a, o.status)}
              </Button>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{tr('ui.wo.noActions')}</Typography.Text>
        )}
      </Card>

      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card title={tr('ui.wo.timeline')} size="small">
            <Timeline
              data-testid="wo-timeline"
              items={o.timeline.map((e, i) => ({
                key: e.seq,
                color: eventColors[e.type] ?? 'blue',
                content: (
                  <div data-testid="wo-event" data-type={e.type}>
                    <Space size={8} wrap>
                      <Typography.Text strong>{eventLabel(e.type, i)}</Typography.Text>
                      {e.actorName && <Typography.Text>{e.actorName}</Typography.Text>}
                      <Typography.Text type="secondary">{fmt(e.at)}</Typography.Text>
                      {typeof e.data.handlerName === 'string' && <Tag>{e.data.handlerName}</Tag>}
                      {typeof e.data.dueAt === 'string' && (
                        <Tag>
                          {tr('ui.wo.dueAt')} {fmt(e.data.dueAt)}
                        </Tag>
                      )}
                      {typeof e.data.outcome === 'string' && (
                        <Tag>{tr(`workOrder.outcome.${e.data.outcome}`)}</Tag>
                      )}
                      {typeof e.data.rating === 'string' && (
                        <Tag color="purple">{tr(`workOrder.rating.${e.data.rating}`)}</Tag>
                      )}
                      {typeof e.data.satisfied === 'boolean' && (
                        <Tag>{tr(e.data.satisfied ? 'ui.wo.satisfiedYes' : 'ui.wo.satisfiedNo')}</Tag>
                      )}
                    </Space>
                    {e.text && (
                      <Typography.Paragraph style={{ margin: '4px 0', whiteSpace: 'pre-wrap' }}>
                        {e.text}
                      </Typography.Paragraph>
                    )}
                    {e.type !== 'created' && <Photos photos={e.photos} />}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={tr('ui.wo.map')} size="small">
              {o.lng === null && (
                <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
                  {tr('ui.wo.noPoint')}
                </Typography.Text>
              )}
              <LocationMap lng={o.lng} lat={o.lat} placeId={o.placeId} />
            </Card>
            <Card title={tr('ui.wo.whistles')} size="small">
              {o.whistles.length ? (
                <WhistleTable whistles={o.whistles} compact />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={tr('ui.wo.noWhistles')} />
              )}
            </Card>
          </Space>
        </Col>
      </Row>

      {acting && (
        <ActionDialog
          order={o}
          type={acting}
          onClose={() => setActing(null)}
          onDone={(next) => {
            setActing(null);
            qc.setQueryData(key, next);
            qc.invalidateQueries({ queryKey: ['/api/work-orders'] });
          }}
        />
      )}
    </Space>
  );
}
