import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Row, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, queryString } from '../../../shared/api.js';
import { useT } from '../../../shared/i18n.js';
import { ServerTable, useServerList } from '../../../shared/ServerTable.js';
import { useSession } from '../../session.js';
import { PartyOrgSelect, when } from './common.js';
import { RedeemForm } from './RedeemForm.js';
import { ShopItemDialog } from './ShopItemDialog.js';

export interface ShopItem {
  id: string;
  partyOrgId: string;
  partyOrgName: string;
  name: string;
  price: number;
  stock: number;
  supplier: string | null;
  active: boolean;
}

interface Redemption {
  id: string;
  memberName: string;
  itemName: string;
  quantity: number;
  points: number;
  createdAt: string;
}

/** 积分超市: what is on offer, redemption at the counter (staff confirm it for the member), and the history. */
export default function ShopPage() {
  const tr = useT();
  const { can } = useSession();
  const [orgId, setOrgId] = useState<string | undefined>();
  const [adding, setAdding] = useState(false);
  const items = useQuery({
    queryKey: ['party-shop', orgId],
    queryFn: () => api<ShopItem[]>(`/api/party/shop/items${queryString({ partyOrgId: orgId })}`),
  });
  const history = useServerList<Redemption>('/api/party/shop/redemptions', {});
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <Card
          title={tr('ui.nav.partyShop')}
          extra={
            <>
              <PartyOrgSelect value={orgId} onChange={setOrgId} style={{ width: 220, marginRight: 8 }} />
              {can('party.manage') && (
                <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
                  {tr('ui.party.addShopItem')}
                </Button>
              )}
            </>
          }
        >
          {items.error && <Alert type="error" showIcon title={items.error.message} />}
          <Table<ShopItem>
            data-testid="shop-items"
            size="small"
            rowKey="id"
            loading={items.isFetching}
            dataSource={items.data ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: tr('ui.party.shopItem'), dataIndex: 'name' },
              { title: tr('ui.party.price'), dataIndex: 'price' },
              {
                title: tr('ui.party.stock'),
                dataIndex: 'stock',
                render: (s: number) => (s > 0 ? s : <Tag color="red">{tr('ui.party.soldOut')}</Tag>),
              },
              { title: tr('ui.party.supplier'), dataIndex: 'supplier', render: (s) => s ?? '-' },
              { title: tr('ui.party.org'), dataIndex: 'partyOrgName' },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        {can('party.redeem') && (
          <RedeemForm
            items={items.data ?? []}
            onRedeemed={() => {
              void items.refetch();
              void history.query.refetch();
            }}
          />
        )}
      </Col>
      <Col span={24}>
        <Card title={tr('ui.party.redemptions')} size="small">
          <ServerTable<Redemption>
            {...history.tableProps}
            data-testid="redemptions"
            columns={[
              { title: tr('ui.party.redeemedAt'), dataIndex: 'createdAt', render: when },
              { title: tr('ui.party.name'), dataIndex: 'memberName' },
              { title: tr('ui.party.shopItem'), dataIndex: 'itemName' },
              { title: tr('ui.party.quantity'), dataIndex: 'quantity' },
              { title: tr('ui.party.pointsSpent'), dataIndex: 'points' },
            ]}
          />
        </Card>
      </Col>
      {adding && (
        <ShopItemDialog
          onClose={() => setAdding(false)}
          onCreated={() => {
            setAdding(false);
            void items.refetch();
          }}
        />
      )}
    </Row>
  );
}
