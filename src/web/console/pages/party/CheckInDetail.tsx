import { useQuery } from '@tanstack/react-query';
import { App, Button, Descriptions, Drawer, List, Space, Tag } from 'antd';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { useSession } from '../../session.js';
import type { CheckIn } from './CheckInsPage.js';

interface Detail extends CheckIn {
  posts: { id: string; name: string }[];
  serviceRecords: {
    id: string;
    servedOn: string;
    hours: number;
    what: string;
    status: 'recorded' | 'confirmed' | 'refused';
    postName: string | null;
  }[];
  reviews: { year: number; reviewer: string; rating: string; comment: string | null }[];
}

/** One check-in: the posts picked (认岗), the services recorded (服务纪实, confirmed here) and the reviews. */
export function CheckInDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const tr = useT();
  const { can } = useSession();
  const { message } = App.useApp();
  const detail = useQuery({
    queryKey: ['check-in', id],
    queryFn: () => api<Detail>(`/api/party/check-ins/${id}`),
  });
  const confirmService = async (serviceId: string) => {
    try {
      await api(`/api/party/service-records/${serviceId}/confirm`, { method: 'POST' });
      message.success(tr('ui.checkIn.serviceConfirmed'));
      await detail.refetch();
    } catch (err) {
      message.error((err as Error).message);
    }
  };
  const d = detail.data;
  return (
    <Drawer open width={560} title={d?.memberName ?? d?.workplaceOrgName ?? ''} onClose={onClose}>
      {d && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={tr('ui.checkIn.community')}>{d.orgUnitName}</Descriptions.Item>
            <Descriptions.Item label={tr('ui.checkIn.status')}>
              {tr(`ui.checkIn.status.${d.status}`)}
            </Descriptions.Item>
            <Descriptions.Item label={tr('ui.checkIn.posts')}>
              {d.posts.length ? d.posts.map((p) => <Tag key={p.id}>{p.name}</Tag>) : '-'}
            </Descriptions.Item>
            <Descriptions.Item label={tr('ui.checkIn.hours')}>{d.hours}</Descriptions.Item>
          </Descriptions>
          <List
            header={<b>{tr('ui.checkIn.serviceRecords')}</b>}
            dataSource={d.serviceRecords}
            locale={{ emptyText: tr('ui.checkIn.noServices') }}
            renderItem={(s) => (
              <List.Item
                actions={
                  s.status === 'recorded' && can('party.checkIn')
                    ? [
                        <Button key="ok" size="small" type="primary" onClick={() => confirmService(s.id)}>
                          {tr('ui.party.confirm')}
                        </Button>,
                      ]
                    : [<Tag key="s">{tr(`ui.checkIn.service.${s.status}`)}</Tag>]
                }
              >
                <List.Item.Meta
                  title={`${s.servedOn} · ${tr('ui.checkIn.hoursOf', { hours: s.hours })}${s.postName ? ` · ${s.postName}` : ''}`}
                  description={s.what}
                />
              </List.Item>
            )}
          />
          <List
            header={<b>{tr('ui.checkIn.reviews')}</b>}
            dataSource={d.reviews}
            locale={{ emptyText: tr('ui.checkIn.noReviews') }}
            renderItem={(r) => (
              <List.Item>
                {r.year} · {tr(`ui.checkIn.reviewer.${r.reviewer}`)} · {tr(`ui.checkIn.rating.${r.rating}`)}
                {r.comment ? ` · ${r.comment}` : ''}
              </List.Item>
            )}
          />
        </Space>
      )}
    </Drawer>
  );
}
