// Load generator for `npm run bench`, run as its own process: autocannon against one
// URL with one GraphQL body; prints {requests per second, p50, p99 latency} as JSON.
// With a minimum request count, a window that completed fewer is measured again by
// count instead of time: a slow server beside other busy processes can complete none in
// a short window, which says nothing about its throughput.

import autocannon from 'autocannon';

const [url, connections, seconds, body, minRequests = '0'] = process.argv.slice(2);
const load = (limit: { duration: number } | { amount: number }) =>
  autocannon({
    url: url!,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body!,
    connections: Number(connections),
    // Not autocannon's 10 s: on a busy machine the naive baseline's requests (one query
    // per parent field) can take longer, and counting them as failures says nothing.
    timeout: 60,
    ...limit,
  });

const failures = (run: autocannon.Result) => run.non2xx + run.errors + run.timeouts;
let result = await load({ duration: Number(seconds) });
let failed = failures(result);
// Completed requests over the measured time: autocannon's `requests.average` averages
// whole seconds and reads 0 when a short run completes its first requests late.
let rps = result.requests.total / result.duration;
if (result.requests.total < Number(minRequests)) {
  result = await load({ amount: Number(minRequests) });
  failed += failures(result); // the first window's failures are not forgotten
  // Little's law for a closed loop, every connection always waiting on a request: a run
  // by count ends on autocannon's next 1 s tick, so its duration reads up to 1 s long.
  rps = (Number(connections) * 1000) / result.latency.mean;
}
console.log(JSON.stringify({ rps, p50: result.latency.p50, p99: result.latency.p99, failed }));
