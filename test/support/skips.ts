// Tests that need a service this machine lacks (PostgreSQL, Redis, Chromium) are skipped
// outside CI, and the run's summary must say so: a log line scrolls away. Each file that
// skips some records it as a test skipped with the reason as its note, which vitest's
// reporters list ("↓ tests that need PostgreSQL [PostgreSQL at … is unreachable]") and
// count among the skipped. In CI (CI=true) the support modules fail instead.

import { it } from 'vitest';

/** Per test file (vitest loads the support modules afresh for each). */
const reported = new Set<string>();

/** Call while the file's tests are being collected (at its top level). */
export function reportSkipped(service: string, reason: string): void {
  if (reported.has(service)) return;
  reported.add(service);
  console.warn(`${reason}: the tests that need ${service} are skipped (CI=true makes this a failure)`);
  it(`tests that need ${service}`, (context) => context.skip(`${reason}; CI=true makes this a failure`));
}
