// autocannon setupRequest (loaded by path in its worker thread): each request its own Idempotency-Key.
const { randomUUID } = require('node:crypto');

module.exports = (req) => ({
  ...req,
  headers: { ...req.headers, 'idempotency-key': `bench-${randomUUID()}` },
});
