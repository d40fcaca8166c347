// Load generator for `npm run bench`, run as its own process: autocannon against one
// URL with one GraphQL body; prints {requests per second, p50, p99 latency} as JSON.

import autocannon from 'autocannon';

const [url, connections, seconds, body] = process.argv.slice(2);
const result = await autocannon({
  url: url!,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: body!,
  connections: Number(connections),
  duration: Number(seconds),
});
const failed = result.non2xx + result.errors + result.timeouts;
console.log(JSON.stringify({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failed }));
