// Which database errors mean "unavailable, retry later" (code SERVICE_UNAVAILABLE, 503):
// the shapes Prisma 7 with its PostgreSQL driver adapter gives when the server is down,
// restarting or gone mid-query, as seen from a stopped server; not errors of the query.

import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/db/unavailable.ts';

const adapterError = (cause: Record<string, unknown>, code = 'P2010') =>
  Object.assign(new Error('Invalid `prisma.$queryRaw()` invocation'), {
    code,
    meta: { driverAdapterError: { name: 'DriverAdapterError', cause } },
  });

describe('isDatabaseUnavailable', () => {
  it('recognises an unreachable, restarting or lost server', () => {
    expect(
      isDatabaseUnavailable(adapterError({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 }, 'P1001')),
    ).toBe(true);
    expect(isDatabaseUnavailable(adapterError({ kind: 'ConnectionClosed' }))).toBe(true);
    expect(isDatabaseUnavailable(adapterError({ kind: 'postgres', originalCode: '57P01' }))).toBe(true); // admin shutdown
    expect(isDatabaseUnavailable(adapterError({ kind: 'postgres', originalCode: '57P03' }))).toBe(true); // starting up
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: 'P2024' }))).toBe(true); // pool timeout
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: adapterError({ kind: 'SocketTimeout' }) }))).toBe(true);
  });

  it('leaves errors of the statement or the data alone', () => {
    expect(isDatabaseUnavailable(adapterError({ kind: 'postgres', originalCode: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(adapterError({ kind: 'postgres', originalCode: '57014' }))).toBe(false); // cancelled
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: 'P2002' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('PGlite is closed'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
