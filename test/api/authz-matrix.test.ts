import { authorizationMatrix } from '../authz/matrix.js';

// The shard of the authorization matrix for every route no other shard names (accounts, files, jobs, audit, …); see test/authz/matrix.ts.
authorizationMatrix('rest');
