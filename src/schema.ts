// Every table, for drizzle-kit's migrations: each module and platform part owns its own file, listed here.
export * from './modules/accounts/schema.js';
export * from './modules/notifications/schema.js';
export * from './modules/open311/schema.js';
export * from './modules/org/schema.js';
export * from './modules/party/check-in-schema.js';
export * from './modules/party/joint-committee-schema.js';
export * from './modules/party/schema.js';
export * from './modules/people/schema.js';
export * from './modules/work-orders/hotline-schema.js';
export * from './modules/work-orders/schema.js';
export * from './platform/audit/schema.js';
export * from './platform/calendar/schema.js';
export * from './platform/files/schema.js';
export * from './platform/jobs/schema.js';
