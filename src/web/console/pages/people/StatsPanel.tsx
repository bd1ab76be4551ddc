import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Row, Spin, Statistic } from 'antd';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { api, queryString } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { ethnicityName } from './common.js';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** What `GET /api/people/stats` returns (src/modules/people/stats.ts). */
export interface PeopleStats {
  residents: number;
  ageBands: Record<string, number>;
  gender: Record<string, number>;
  ethnicity: Record<string, number>;
  residenceStatus: Record<string, number>;
  careGroups: { elderly: number; advancedAge: number; child: number; inDifficulty: number };
  tags: Record<string, number>;
  households: number;
  houses: number;
  housesByUse: Record<string, number>;
}

const bar = (entries: [string, number][]) => ({
  tooltip: {},
  grid: { left: 40, right: 16, top: 16, bottom: 48 },
  xAxis: {
    type: 'category',
    data: entries.map((e) => e[0]),
    axisLabel: { interval: 0, rotate: entries.length > 6 ? 30 : 0 },
  },
  yAxis: { type: 'value' },
  series: [{ type: 'bar', data: entries.map((e) => e[1]), itemStyle: { color: '#c0392b' } }],
});
const pie = (entries: [string, number][]) => ({
  tooltip: { trigger: 'item' },
  legend: { bottom: 0 },
  series: [{ type: 'pie', radius: ['35%', '65%'], data: entries.map(([name, value]) => ({ name, value })) }],
});

/** Population statistics of an org unit (or the caller's whole scope): counts and charts. */
export function StatsPanel({ orgUnitId }: { orgUnitId?: string }) {
  const tr = useT();
  const { data, error, isLoading } = useQuery({
    queryKey: ['people-stats', orgUnitId],
    queryFn: () => api<PeopleStats>(`/api/people/stats${queryString({ orgUnitId })}`),
  });
  if (error) return <Alert type="error" showIcon title={error.message} />;
  if (isLoading || !data) return <Spin />;
  const label = (prefix: string, rec: Record<string, number>) =>
    Object.entries(rec)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => [tr(`${prefix}.${k}`), n] as [string, number]);
  const chart = (title: string, option: object) => (
    <Col xs={24} lg={12}>
      <Card size="small" title={title}>
        <ReactEChartsCore echarts={echarts} style={{ height: 260 }} option={option} notMerge />
      </Card>
    </Col>
  );
  return (
    <div data-testid="people-stats">
      <Row gutter={[12, 12]}>
        {(
          [
            ['ui.people.total', data.residents],
            ['ui.people.householdCount', data.households],
            ['ui.people.houseCount', data.houses],
            ['ui.people.elderly', data.careGroups.elderly],
            ['ui.people.advancedAge', data.careGroups.advancedAge],
            ['ui.people.child', data.careGroups.child],
            ['ui.people.inDifficulty', data.careGroups.inDifficulty],
          ] as const
        ).map(([key, n]) => (
          <Col key={key} xs={12} md={6} lg={3}>
            <Card size="small">
              <Statistic title={tr(key)} value={n} />
            </Card>
          </Col>
        ))}
        {chart(tr('ui.people.byAge'), bar(Object.entries(data.ageBands)))}
        {chart(tr('ui.people.byGender'), pie(label('people.gender', data.gender)))}
        {chart(
          tr('ui.people.byEthnicity'),
          pie(
            Object.entries(data.ethnicity)
              .sort((a, b) => b[1] - a[1])
              .map(([k, n]) => [ethnicityName(k), n] as [string, number]),
          ),
        )}
        {chart(tr('ui.people.byResidence'), pie(label('people.residence', data.residenceStatus)))}
        {chart(tr('ui.people.byTag'), bar(label('people.tag', data.tags)))}
        {chart(tr('ui.people.byUse'), pie(label('people.use', data.housesByUse)))}
      </Row>
    </div>
  );
}
