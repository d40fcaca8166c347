// Relay paging rules shared by every connection: one direction at a time, and opaque
// cursors that say what they page through and hold only values the API could have issued.
// Page sizes are input bounds (input-bounds.ts): default 20, at most 100, never clamped.

import { parsePrismaCursor } from '@pothos/plugin-prisma';
import { GraphQLError, type GraphQLField } from 'graphql';
import { EXACT_COUNT_LIMIT } from '../archive/article-queries.ts';
import { DEFAULT_PAGE_SIZE } from './input-bounds.ts';

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** Ids and sequences are non-negative PostgreSQL integers: a cursor or id holding anything else was not issued by the API. */
const MAX_INT4 = 2_147_483_647;

export function isPossibleKey(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_INT4;
}

const ISSUED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** What each value of a cursor is, so one with an impossible value is refused, not read as an empty page. */
type CursorPart = 'key' | 'score' | 'instant';

function isPossible(part: CursorPart, value: unknown): boolean {
  switch (part) {
    case 'key':
      return isPossibleKey(value);
    case 'score':
      return typeof value === 'number' && Number.isFinite(value);
    case 'instant':
      // As issued: Date.toISOString() of a stored date (four-digit year), which reads back to itself.
      return typeof value === 'string' && ISSUED_INSTANT.test(value) && new Date(value).toISOString() === value;
  }
}

function invalidCursor(cursor: string): GraphQLError {
  return badInput(`invalid cursor "${cursor.slice(0, 60)}": not a cursor of this list`);
}

/** Cursors are base64url JSON tagged with what they page, so one from elsewhere is refused. */
export function encodeCursor(kind: string, values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([kind, ...values])).toString('base64url');
}

export function decodeCursor(kind: string, cursor: string, parts: readonly CursorPart[]): (string | number)[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  if (
    !Array.isArray(decoded) ||
    decoded[0] !== kind ||
    decoded.length !== parts.length + 1 ||
    !parts.every((part, i) => isPossible(part, decoded[i + 1]))
  ) {
    throw invalidCursor(cursor);
  }
  return decoded.slice(1) as (string | number)[];
}

/** Marks a connection whose cursors the Prisma plugin issues and reads (`t.prismaConnection`, `t.relatedConnection`). */
export const PRISMA_CURSORS = { extensions: { cursorFormat: 'prisma' } } as const;

/** Our Prisma connections page by integer keys: every value in such a cursor is one. */
function isPossiblePrismaCursor(cursor: string): boolean {
  let value: unknown;
  try {
    value = parsePrismaCursor(cursor);
  } catch {
    return false;
  }
  const values = typeof value === 'object' && value !== null ? Object.values(value) : [value];
  return values.length > 0 && values.every((part) => isPossible('key', part));
}

/**
 * Rules every connection's arguments follow, checked before the field runs (see the
 * argument-checks plugin): one direction at a time, and cursors this list issued.
 */
export function connectionArgumentProblem(
  field: GraphQLField<unknown, unknown>,
  args: Readonly<ConnectionArgs>,
): GraphQLError | null {
  if (args.first != null && args.last != null) return badInput('pass "first" or "last", not both');
  if (args.after != null && args.before != null) return badInput('pass "after" or "before", not both');
  if (field.extensions.cursorFormat === 'prisma') {
    for (const cursor of [args.after, args.before]) {
      if (cursor != null && !isPossiblePrismaCursor(cursor)) return invalidCursor(cursor);
    }
  }
  return null;
}

/**
 * `totalCountIsExact` of a list whose totalCount is never capped (only article lists and
 * search cap theirs, at EXACT_COUNT_LIMIT). `why`: what keeps this count exact and cheap.
 */
export function alwaysExactCount(why: string) {
  return {
    description: `Always true: totalCount is exact here because ${why}. Only article lists and search cap their count (at ${EXACT_COUNT_LIMIT.toLocaleString('en-US')}), and only there can this field be false.`,
    resolve: () => true,
  };
}

export interface PageWindow<Key> {
  size: number;
  /** Rows strictly beyond this key, in the direction of travel. */
  from: Key | null;
  /** `last`/`before`: read towards the start, then present in the list's order. */
  backward: boolean;
}

/** Sizes and directions were checked before the field ran (`connectionArgumentProblem`, input bounds). */
export function pageWindow<Key>(args: ConnectionArgs, decode: (cursor: string) => Key): PageWindow<Key> {
  const backward = args.last != null || args.before != null;
  const cursor = backward ? args.before : args.after;
  return {
    size: args.first ?? args.last ?? DEFAULT_PAGE_SIZE,
    from: cursor != null ? decode(cursor) : null,
    backward,
  };
}

export interface Connection<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/**
 * An edge whose cursor is encoded when read: most queries select no cursor, and a page
 * of articles with their actors and links holds hundreds of edges.
 */
class Edge<Row, Node> {
  constructor(
    private readonly row: Row,
    readonly node: Node,
    private readonly cursorOf: (row: Row) => string,
  ) {}

  get cursor(): string {
    return this.cursorOf(this.row);
  }
}

/**
 * `rows` were read with one row more than the page, in the direction of travel.
 * `edgeFields`: what an edge shows besides its node and cursor (e.g. a mention count).
 */
export function toConnection<Row, Node>(
  rows: readonly Row[],
  window: PageWindow<unknown>,
  cursorOf: (row: Row) => string,
  nodeOf: (row: Row) => Node,
  edgeFields?: (row: Row) => object,
): Connection<Node> {
  const more = rows.length > window.size;
  const page = rows.slice(0, window.size);
  if (window.backward) page.reverse();
  const edges = page.map((row) => {
    const edge = new Edge(row, nodeOf(row), cursorOf);
    return edgeFields ? Object.assign(edge, edgeFields(row)) : edge;
  });
  return {
    edges,
    pageInfo: {
      hasNextPage: window.backward ? window.from !== null : more,
      hasPreviousPage: window.backward ? more : window.from !== null,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
  };
}
