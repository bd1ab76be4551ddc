import { App, Button, Card, Input, List, Space, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { useSession } from '../../session.js';
import { when } from './common.js';

export interface Objection {
  id: string;
  memberName: string;
  text: string;
  answer: string | null;
  answeredAt: string | null;
  createdAt: string;
}

/** 异议: what members objected to in the published list, and the branch's answers. */
export function Objections({ items, onAnswered }: { items: Objection[]; onAnswered: () => void }) {
  const tr = useT();
  const { can } = useSession();
  const { message } = App.useApp();
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const answer = async (o: Objection) => {
    try {
      await api(`/api/party/objections/${o.id}/answer`, {
        method: 'POST',
        json: { answer: drafts[o.id] ?? '' },
      });
      message.success(tr('ui.party.answered'));
      onAnswered();
    } catch (err) {
      message.error((err as Error).message);
    }
  };
  return (
    <Card size="small" title={tr('ui.party.objections')} style={{ marginTop: 16 }}>
      <List
        dataSource={items}
        renderItem={(o) => (
          <List.Item>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Space>
                <b>{o.memberName}</b>
                <span style={{ color: '#888' }}>{when(o.createdAt)}</span>
                {o.answeredAt ? (
                  <Tag color="green">{tr('ui.party.answeredTag')}</Tag>
                ) : (
                  <Tag color="orange">{tr('ui.party.unanswered')}</Tag>
                )}
              </Space>
              <div>{o.text}</div>
              {o.answer && (
                <div style={{ color: '#389e0d' }}>{tr('ui.party.answerIs', { answer: o.answer })}</div>
              )}
              {!o.answeredAt && can('party.review') && (
                <Space.Compact style={{ width: '100%' }}>
                  <Input
                    aria-label={tr('ui.party.answer')}
                    placeholder={tr('ui.party.answer')}
                    maxLength={500}
                    value={drafts[o.id] ?? ''}
                    onChange={(e) => setDrafts({ ...drafts, [o.id]: e.target.value })}
                  />
                  <Button type="primary" onClick={() => answer(o)}>
                    {tr('ui.party.reply')}
                  </Button>
                </Space.Compact>
              )}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
