// Every table, for Drizzle's relational queries and drizzle-kit. Each module owns its own file.
export * from '../../modules/accounts/schema.js';
export * from '../../modules/notifications/schema.js';
export * from '../../modules/open311/schema.js';
export * from '../../modules/org/schema.js';
export * from '../../modules/party/schema.js';
export * from '../../modules/people/schema.js';
export * from '../../modules/work-orders/hotline-schema.js';
export * from '../../modules/work-orders/schema.js';
export * from '../audit/schema.js';
export * from '../calendar/schema.js';
export * from '../files/schema.js';
export * from '../jobs/schema.js';
