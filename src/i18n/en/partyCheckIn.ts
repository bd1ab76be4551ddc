/** Party check-ins (双报到: check-in, posts, service records, mutual review) and joint committees. */
export const partyCheckIn = {
  'error.CHECK_IN_NOT_IN_SERVICE':
    'Only in-service members check in where they live (this member is not recorded as in service)',
  'error.CHECK_IN_EXISTS': 'Already checked in with "{unit}" (a refused check-in can be made again)',
  'error.CHECK_IN_NOT_CONFIRMED': 'The community has not confirmed the check-in yet',
  'error.COMMUNITY_POST_EXISTS': 'This community already has a post "{name}"',
  'error.COMMUNITY_POST_FULL': 'The post "{name}" is full ({capacity} members)',
  'error.COMMUNITY_POST_PICKED': 'Already took the post "{name}"',
  'error.REVIEW_EXISTS': 'The review for {year} has already been given',
  'audit.party.checkIn.registered': 'Check-in registered',
  'audit.party.checkIn.confirmed': 'Check-in confirmed',
  'audit.party.checkIn.refused': 'Check-in refused',
  'audit.party.post.created': 'Community post created',
  'audit.party.post.picked': 'Post taken',
  'audit.party.service.recorded': 'Service recorded',
  'audit.party.service.confirmed': 'Service record confirmed',
  'audit.party.service.refused': 'Service record refused',
  'audit.party.review.ofMember': 'Community reviewed member',
  'audit.party.review.ofCommunity': 'Member reviewed community',
} as const;
