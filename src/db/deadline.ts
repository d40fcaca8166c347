// Work with a deadline: a transaction that must not commit once its deadline has passed.
// The caller checks `assertBeforeDeadline` before starting and just before committing;
// inside the transaction, `cancelStatementsAtDeadline` makes PostgreSQL cancel a
// statement still running at the deadline (PGlite runs each statement to its end on our
// thread, and the check before committing rolls it back).

/** Work cancelled because its deadline passed; nothing of it was committed. */
export class DeadlineExceededError extends Error {
  override name = 'DeadlineExceededError';
}

/** Milliseconds left before `deadline` (epoch ms); throws DeadlineExceededError when none are. */
export function assertBeforeDeadline(deadline: number): number {
  const remaining = deadline - Date.now();
  if (remaining <= 0) throw new DeadlineExceededError('The deadline passed; nothing was committed.');
  return remaining;
}

/** In a transaction: PostgreSQL's statement_timeout for the rest of it, so no statement runs past `deadline`. */
export async function cancelStatementsAtDeadline(
  tx: { $executeRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<number> },
  deadline: number,
): Promise<void> {
  const remaining = assertBeforeDeadline(deadline);
  await tx.$executeRaw`SELECT set_config('statement_timeout', ${String(Math.ceil(remaining))}, true)`;
}
