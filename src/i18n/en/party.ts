/** Party: organisations, members, points 5+X, passbook and shop. */
export const party = {
  'error.PARTY_MEMBER_EXISTS':
    'This resident is already a party member, in "{branch}" (one record per person)',
  'error.QUARTER_CLOSED':
    '{quarter} is reviewed and closed: only a correcting entry with a reason can change it',
  'error.QUARTER_NOT_REVIEWED': '{quarter} has not been reviewed and closed, so it cannot be published',
  'error.QUARTER_STATE': '{quarter} is "{status}": cannot {verb}',
  'error.CLAIMS_PENDING': '{quarter} still has {count} member claims to confirm or refuse',
  'error.OBJECTION_WINDOW_CLOSED': 'The objection window ended on {until}',
  'error.OBJECTION_WINDOW_OPEN': 'The objection window runs until {until}; scores become final after it',
  'error.OBJECTIONS_UNANSWERED': '{count} objections are still unanswered',
  'error.POINTS_BALANCE': 'Not enough points: {need} needed, {balance} available',
  'error.POINTS_STOCK': 'Out of stock: only {stock} of "{item}" left',
  'error.NO_CATALOG': '"{org}" has no points catalogue yet',
  'party.quarter.open': 'Recording',
  'party.quarter.reviewed': 'Reviewed',
  'party.quarter.published': 'Published',
  'party.quarter.final': 'Final',
};
