import { authorizationMatrix } from '../authz/matrix.js';

// The shard of the authorization matrix for the workOrders routes; see test/authz/matrix.ts.
authorizationMatrix('workOrders');
