// autocannon onResponse (loaded by path in its worker thread): keeps the body of each non-2xx
// answer, so a bench run says why requests failed, not only how many.
const { appendFileSync } = require('node:fs');

module.exports = (status, body) => {
  if (status >= 300 && process.env.BENCH_FAILURES_FILE)
    appendFileSync(process.env.BENCH_FAILURES_FILE, `${status} ${String(body).slice(0, 200)}\n`);
};
