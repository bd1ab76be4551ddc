import { Card, Statistic } from 'antd';
import { useT } from '../../../shared/i18n.js';
import { ServerTable, useServerList } from '../../../shared/ServerTable.js';
import { when } from './common.js';

interface Line {
  id: string;
  kind: 'earned' | 'redeemed' | 'corrected' | 'expired';
  amount: number;
  memo: string;
  balanceAfter: number;
  createdAt: string;
}

/** 积分存折: the member's ledger lines, newest first, each with the balance after it. */
export function Passbook({ url }: { url: string }) {
  const tr = useT();
  const { tableProps, query } = useServerList<Line>(url, {});
  const balance = (query.data as { balance?: number } | undefined)?.balance;
  return (
    <Card
      title={tr('ui.party.passbook')}
      size="small"
      extra={<Statistic title={tr('ui.party.balance')} value={balance ?? '-'} />}
    >
      <ServerTable<Line>
        {...tableProps}
        data-testid="passbook-table"
        columns={[
          { title: tr('ui.party.lineAt'), dataIndex: 'createdAt', render: when },
          { title: tr('ui.party.lineKind'), dataIndex: 'kind', render: (k) => tr(`ui.party.ledger.${k}`) },
          {
            title: tr('ui.party.amount'),
            dataIndex: 'amount',
            render: (a: number) => (
              <span style={{ color: a < 0 ? '#cf1322' : '#389e0d' }}>{a > 0 ? `+${a}` : a}</span>
            ),
          },
          { title: tr('ui.party.memo'), dataIndex: 'memo' },
          { title: tr('ui.party.balanceAfter'), dataIndex: 'balanceAfter' },
        ]}
      />
    </Card>
  );
}
