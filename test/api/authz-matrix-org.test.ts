import { authorizationMatrix } from '../authz/matrix.js';

// The shard of the authorization matrix for the org routes; see test/authz/matrix.ts.
authorizationMatrix('org');
