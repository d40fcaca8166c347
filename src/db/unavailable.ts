// Whether an error means "the database server cannot be reached right now" (down,
// restarting, refusing connections, the connection lost), which retrying later can cure,
// as opposed to an error of the statement or the data.

/** Prisma's codes for an unreachable server, a timeout reaching it, a closed connection, an exhausted pool. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
/** Kinds of the driver adapters' errors that mean the same. */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
/** SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, starting up). */
const SQLSTATE = /^(08|57P)/;
/** node-postgres, when the server goes away under a query. */
const LOST_CONNECTION = /Connection terminated|ECONNREFUSED|ECONNRESET/;

interface PrismaLikeError {
  code?: string;
  message?: string;
  meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } };
  cause?: unknown;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error as PrismaLikeError | undefined, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') return false;
    if (current.code && (PRISMA_CODES.has(current.code) || SQLSTATE.test(current.code))) return true;
    const cause = current.meta?.driverAdapterError?.cause;
    if (cause?.kind && ADAPTER_KINDS.has(cause.kind)) return true;
    if (cause?.originalCode && SQLSTATE.test(cause.originalCode)) return true;
    if (typeof current.message === 'string' && LOST_CONNECTION.test(current.message)) return true;
    current = current.cause as PrismaLikeError | undefined;
  }
  return false;
}
