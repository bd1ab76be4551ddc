import type { open311 as zh } from '../zh-CN/open311.js';

export const open311: Record<keyof typeof zh, string> = {
  'ui.nav.open311Keys': 'Open311 API keys',
  'ui.open311.intro':
    'Third-party apps file and follow reports through the Open311 GeoReport v2 API; filing needs an API key. Discovery: {url}',
  'ui.open311.create': 'Issue a key',
  'ui.open311.name': 'Name (who uses it)',
  'ui.open311.namePlaceholder': 'e.g. City report app',
  'ui.open311.nameRequired': 'Name the key',
  'ui.open311.prefix': 'Key starts with',
  'ui.open311.scope': 'Address matching scope',
  'ui.open311.scopeHelp':
    'When a point lies in no grid, the address is matched to a community or grid under this unit (default: your own unit)',
  'ui.open311.allUnits': 'All',
  'ui.open311.createdBy': 'Issued by',
  'ui.open311.createdAt': 'Issued',
  'ui.open311.lastUsedAt': 'Last used',
  'ui.open311.status': 'Status',
  'ui.open311.active': 'Active',
  'ui.open311.revokedAt': 'Revoked {at}',
  'ui.open311.revoke': 'Revoke',
  'ui.open311.revokeConfirm': 'Revoke the key of “{name}”? Apps using it can no longer file reports.',
  'ui.open311.revoked': 'Revoked',
  'ui.open311.issued': 'API key for “{name}”',
  'ui.open311.showOnce': 'The key is shown only now; only its hash is kept. Copy it and hand it over safely.',
  'ui.open311.saved': 'I have saved it',
  'audit.open311.keyCreated': 'Open311 key issued',
  'audit.open311.keyRevoked': 'Open311 key revoked',
};
