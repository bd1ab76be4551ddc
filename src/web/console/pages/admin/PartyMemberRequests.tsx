import { useT } from '../../../shared/i18n.js';
import { RequestQueue, type RequestRow, requestName } from './RequestQueue.js';

/** A resident's claim to be a party member, waiting for their branch to confirm it. */
interface PartyMemberRequest extends RequestRow {
  orgName?: string | null;
  branchName?: string | null;
  inService?: boolean | null;
  workplace?: string | null;
}

export default function PartyMemberRequests() {
  const tr = useT();
  return (
    <RequestQueue<PartyMemberRequest>
      title={tr('ui.nav.partyMemberRequests')}
      url="/api/party-member-requests"
      permission="partyMember.confirm"
      columns={[
        { title: tr('ui.requests.name'), render: (_, r) => requestName(r) },
        { title: tr('ui.requests.branch'), render: (_, r) => r.branchName ?? r.orgName ?? '-' },
        {
          title: tr('ui.requests.inService'),
          dataIndex: 'inService',
          render: (v) => (v == null ? '-' : v ? tr('ui.yes') : tr('ui.no')),
        },
        { title: tr('ui.requests.workplace'), dataIndex: 'workplace', render: (v) => v ?? '-' },
      ]}
    />
  );
}
