import { useT } from '../../../shared/i18n.js';
import { RequestQueue, type RequestRow, requestName } from './RequestQueue.js';

/** A resident's registration, waiting for their community to confirm it (phone shown masked; it is also their login). */
interface AccountRequest extends RequestRow {
  phone?: string | null;
  orgName?: string | null;
  orgPath?: string | null;
}

export default function AccountRequests() {
  const tr = useT();
  return (
    <RequestQueue<AccountRequest>
      title={tr('ui.nav.accountRequests')}
      url="/api/account-requests"
      permission="account.approve"
      columns={[
        { title: tr('ui.requests.name'), render: (_, r) => requestName(r) },
        { title: tr('ui.requests.phone'), dataIndex: 'phone', render: (v) => v ?? '-' },
        {
          title: tr('ui.requests.orgUnit'),
          dataIndex: 'orgName',
          render: (v, r) => <span title={r.orgPath ?? undefined}>{v ?? '-'}</span>,
        },
      ]}
    />
  );
}
