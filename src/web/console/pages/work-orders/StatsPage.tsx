import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, DatePicker, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, queryString } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { OrgUnitPicker } from '../../../shared/OrgUnitPicker.js';
import { type MapPoint, PointsMap } from '../../../shared/PointsMap.js';
import { beijingMonths, lastMonths } from '../../../shared/periods.js';
import { fmt } from './common.js';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

/** What `GET /api/work-orders/stats` returns (src/modules/work-orders/stats-routes.ts). */
interface Summary {
  total: number;
  duplicates: number;
  open: number;
  overdue: number;
  closed: number;
  rated: number;
  responseRate: number | null;
  solvedRate: number | null;
  satisfactionRate: number | null;
  onTimeAcceptRate: number | null;
  resolvedRate: number | null;
  onTimeRate: number | null;
  reworkRate: number | null;
  avgHandlingHours: number | null;
}
interface Stats {
  bucket: 'day' | 'month';
  summary: Summary;
  byCategory: { categoryId: string; name: string; groupName: string; total: number }[];
  byChannel: { channel: string; total: number; closed: number }[];
  trend: {
    period: string;
    total: number;
    closed: number;
    resolvedRate: number | null;
    satisfactionRate: number | null;
  }[];
  overdue: {
    total: number;
    items: {
      id: string;
      number: string;
      title: string;
      categoryName: string;
      placeName: string;
      handlerName: string | null;
      dueAt: string;
      overdueHours: number;
    }[];
  };
}
interface Ranked extends Summary {
  id: string;
  name: string;
  rank: number;
  score: number | null;
  whistles?: number;
  whistlesUnanswered?: number;
}
interface MapItems {
  total: number;
  unlocated: number;
  items: {
    id: string;
    number: string;
    title: string;
    lng: number;
    lat: number;
    overdue: boolean;
    categoryName: string;
  }[];
}

const rateKeys = [
  'responseRate',
  'solvedRate',
  'satisfactionRate',
  'onTimeAcceptRate',
  'resolvedRate',
  'onTimeRate',
  'reworkRate',
] as const;

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;

/** 工单统计: the 三率 and the other rates, trend, category mix, channels, 红黑榜, overdue list, open items on a map. */
export default function StatsPage() {
  const tr = useT();
  const navigate = useNavigate();
  const [orgUnitId, setOrgUnitId] = useState<string>();
  const [period, setPeriod] = useState(() => lastMonths(12));
  const q = queryString({ orgUnitId, ...period });
  const stats = useQuery({
    queryKey: ['wo-stats', q],
    queryFn: () => api<Stats>(`/api/work-orders/stats${q}`),
  });
  const units = useQuery({
    queryKey: ['wo-rank', q],
    queryFn: () => api<{ kind: string; items: Ranked[] }>(`/api/work-orders/stats/rankings${q}`),
  });
  const departments = useQuery({
    queryKey: ['wo-rank-dept', q],
    queryFn: () =>
      api<{ items: Ranked[] }>(
        `/api/work-orders/stats/rankings${queryString({ orgUnitId, ...period, kind: 'department' })}`,
      ),
  });
  // The same open orders as the 未结案 card: filed in the period, in the unit.
  const open = useQuery({
    queryKey: ['wo-map', q],
    queryFn: () => api<MapItems>(`/api/work-orders/map${q}`),
  });
  const points = useMemo<MapPoint[]>(
    () =>
      (open.data?.items ?? []).map((i) => ({
        id: i.id,
        lng: i.lng,
        lat: i.lat,
        color: i.overdue ? '#cf1322' : '#1677ff',
        label: `${i.number} ${i.categoryName}：${i.title}`,
      })),
    [open.data],
  );
  const s = stats.data;
  const error = stats.error ?? units.error ?? departments.error;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="wo-stats">
      <Card title={tr('ui.woStats.title')}>
        <Space wrap>
          <OrgUnitPicker value={orgUnitId} onChange={setOrgUnitId} style={{ width: 280 }} />
          <DatePicker.RangePicker picker="month" onChange={(range) => setPeriod(beijingMonths(range))} />
          <Typography.Text type="secondary">
            {tr('ui.woStats.period', { from: fmt(period.from), to: fmt(period.to) })}
          </Typography.Text>
        </Space>
        {error && <Alert type="error" showIcon title={(error as Error).message} style={{ marginTop: 16 }} />}
      </Card>

      <Row gutter={[12, 12]}>
        {(['total', 'open', 'overdue'] as const).map((k) => (
          <Col key={k} xs={12} md={4}>
            <Card size="small" loading={stats.isLoading}>
              <Statistic
                title={tr(`ui.woStats.count.${k}`)}
                value={s?.summary[k] ?? 0}
                data-testid={`kpi-${k}`}
              />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={4}>
          <Card size="small" loading={stats.isLoading}>
            <Statistic
              title={tr('ui.woStats.avgHandlingHours')}
              value={s?.summary.avgHandlingHours ?? '—'}
              suffix={tr('ui.woStats.hours')}
            />
          </Card>
        </Col>
        {rateKeys.map((k) => (
          <Col key={k} xs={12} md={k === 'reworkRate' ? 8 : 4}>
            <Tooltip title={tr(`ui.woStats.def.${k}`)}>
              <Card size="small" loading={stats.isLoading}>
                <Statistic
                  title={tr(`ui.woStats.${k}`)}
                  value={pct(s?.summary[k])}
                  data-testid={`kpi-${k}`}
                />
              </Card>
            </Tooltip>
          </Col>
        ))}
      </Row>

      <Row gutter={[12, 12]}>
        <Col xs={24} lg={14}>
          <Card title={tr('ui.woStats.trend')} size="small">
            <ReactEChartsCore
              echarts={echarts}
              style={{ height: 300 }}
              option={trendOption(tr, s)}
              notMerge
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={tr('ui.woStats.categories')} size="small">
            <ReactEChartsCore echarts={echarts} style={{ height: 300 }} option={categoryOption(s)} notMerge />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={tr('ui.woStats.channels')} size="small">
            <ReactEChartsCore
              echarts={echarts}
              style={{ height: 260 }}
              option={channelOption(tr, s)}
              notMerge
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card
            title={
              <span data-testid="wo-map-title">
                {tr(open.data?.unlocated ? 'ui.woStats.mapUnlocated' : 'ui.woStats.map', {
                  n: open.data?.total ?? 0,
                  unlocated: open.data?.unlocated ?? 0,
                })}
              </span>
            }
            size="small"
          >
            <PointsMap
              points={points}
              orgUnitId={orgUnitId}
              height={260}
              onSelect={(id) => navigate(`/work-orders/${id}`)}
            />
          </Card>
        </Col>
      </Row>

      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <RankingTable
            title={tr('ui.woStats.redList')}
            color="red"
            items={best(units.data?.items)}
            loading={units.isLoading}
          />
        </Col>
        <Col xs={24} lg={12}>
          <RankingTable
            title={tr('ui.woStats.blackList')}
            color="default"
            items={worst(units.data?.items)}
            loading={units.isLoading}
          />
        </Col>
        <Col span={24}>
          <RankingTable
            title={tr('ui.woStats.departments')}
            color="blue"
            items={departments.data?.items ?? []}
            loading={departments.isLoading}
            departments
          />
        </Col>
      </Row>

      <Card title={tr('ui.woStats.overdue', { n: s?.overdue.total ?? 0 })} size="small">
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          data-testid="wo-overdue"
          dataSource={s?.overdue.items ?? []}
          columns={[
            {
              title: tr('ui.wo.number'),
              dataIndex: 'number',
              render: (v, r) => <Link to={`/work-orders/${r.id}`}>{v}</Link>,
            },
            { title: tr('ui.wo.title'), dataIndex: 'title', ellipsis: true },
            { title: tr('ui.wo.category'), dataIndex: 'categoryName' },
            { title: tr('ui.wo.place'), dataIndex: 'placeName' },
            { title: tr('ui.wo.handler'), dataIndex: 'handlerName', render: (v) => v ?? '—' },
            { title: tr('ui.wo.dueAt'), dataIndex: 'dueAt', render: (v) => fmt(v) },
            {
              title: tr('ui.woStats.overdueBy'),
              dataIndex: 'overdueHours',
              render: (h: number) => (
                <Tag color="red">
                  {h >= 48
                    ? tr('ui.woStats.days', { n: Math.floor(h / 24) })
                    : tr('ui.woStats.hoursN', { n: h })}
                </Tag>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}

const scored = (items: Ranked[] | undefined) => (items ?? []).filter((r) => r.score !== null);
const best = (items: Ranked[] | undefined) => scored(items).slice(0, 5);
// The black list starts after the red one: a short list is not shown twice.
const worst = (items: Ranked[] | undefined) => {
  const s = scored(items);
  return s.slice(Math.max(5, s.length - 5)).reverse();
};

function RankingTable(props: {
  title: string;
  color: string;
  items: Ranked[];
  loading: boolean;
  departments?: boolean;
}) {
  const tr = useT();
  return (
    <Card title={<Tag color={props.color}>{props.title}</Tag>} size="small">
      <Table<Ranked>
        size="small"
        rowKey="id"
        pagination={false}
        loading={props.loading}
        dataSource={props.items}
        columns={[
          { title: tr('ui.woStats.rank'), dataIndex: 'rank', width: 60 },
          { title: tr('ui.woStats.unit'), dataIndex: 'name' },
          { title: tr('ui.woStats.count.total'), dataIndex: 'total' },
          { title: tr('ui.woStats.resolvedRate'), dataIndex: 'resolvedRate', render: pct },
          { title: tr('ui.woStats.onTimeRate'), dataIndex: 'onTimeRate', render: pct },
          { title: tr('ui.woStats.satisfactionRate'), dataIndex: 'satisfactionRate', render: pct },
          ...(props.departments
            ? [
                { title: tr('ui.woStats.onTimeAcceptRate'), dataIndex: 'onTimeAcceptRate', render: pct },
                {
                  title: tr('ui.woStats.whistlesUnanswered'),
                  dataIndex: 'whistlesUnanswered',
                  render: (n: number, r: Ranked) => `${n} / ${r.whistles ?? 0}`,
                },
              ]
            : []),
          { title: tr('ui.woStats.score'), dataIndex: 'score', render: (v: number | null) => v ?? '—' },
        ]}
      />
    </Card>
  );
}

function trendOption(tr: (k: string) => string, s: Stats | undefined) {
  const t = s?.trend ?? [];
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 40, top: 32, bottom: 24 },
    xAxis: { type: 'category', data: t.map((p) => p.period) },
    yAxis: [
      { type: 'value', name: tr('ui.woStats.orders') },
      { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      { name: tr('ui.woStats.count.total'), type: 'bar', data: t.map((p) => p.total) },
      { name: tr('ui.woStats.count.closed'), type: 'bar', data: t.map((p) => p.closed) },
      {
        name: tr('ui.woStats.resolvedRate'),
        type: 'line',
        yAxisIndex: 1,
        data: t.map((p) => (p.resolvedRate === null ? null : +(p.resolvedRate * 100).toFixed(1))),
      },
      {
        name: tr('ui.woStats.satisfactionRate'),
        type: 'line',
        yAxisIndex: 1,
        data: t.map((p) => (p.satisfactionRate === null ? null : +(p.satisfactionRate * 100).toFixed(1))),
      },
    ],
  };
}

/** Inner ring: the top-level groups; outer ring: the categories. */
function categoryOption(s: Stats | undefined) {
  const c = s?.byCategory ?? [];
  const groups = new Map<string, number>();
  for (const x of c) groups.set(x.groupName, (groups.get(x.groupName) ?? 0) + x.total);
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    series: [
      {
        type: 'pie',
        radius: [0, '38%'],
        label: { position: 'inner', fontSize: 11 },
        data: [...groups].map(([name, value]) => ({ name, value })),
      },
      { type: 'pie', radius: ['48%', '70%'], data: c.map((x) => ({ name: x.name, value: x.total })) },
    ],
  };
}

function channelOption(tr: (k: string) => string, s: Stats | undefined) {
  const c = s?.byChannel ?? [];
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 90, right: 24, top: 32, bottom: 24 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: c.map((x) => tr(`workOrder.channel.${x.channel}`)) },
    series: [
      { name: tr('ui.woStats.count.total'), type: 'bar', data: c.map((x) => x.total) },
      { name: tr('ui.woStats.count.closed'), type: 'bar', data: c.map((x) => x.closed) },
    ],
  };
}
