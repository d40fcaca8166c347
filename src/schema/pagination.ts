// Relay paging rules shared by every connection: page sizes (default 20, at most 100,
// never silently clamped) and opaque cursors that say what they page through.

import { defaultFieldResolver, GraphQLError, type GraphQLSchema, isObjectType } from 'graphql';

export const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function checkPageSize(name: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw badInput(`"${name}" must be an integer from 0 to ${MAX_PAGE_SIZE}; got ${String(value)}`);
  }
}

/**
 * Wraps every field that takes `first` or `last` so a size outside 0..100 is an error
 * before anything runs. Pothos' own connections would clamp it silently.
 */
export function enforcePageSizeLimits(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const sized = field.args.filter((arg) => arg.name === 'first' || arg.name === 'last').map((arg) => arg.name);
      if (sized.length === 0) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, context, info) => {
        for (const name of sized) checkPageSize(name, args[name]);
        return resolve(parent, args, context, info);
      };
    }
  }
  return schema;
}

/** Cursors are base64url JSON tagged with what they page, so one from elsewhere is refused. */
export function encodeCursor(kind: string, values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([kind, ...values])).toString('base64url');
}

export function decodeCursor(
  kind: string,
  cursor: string,
  shape: readonly ('string' | 'number')[],
): (string | number)[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  if (
    !Array.isArray(decoded) ||
    decoded[0] !== kind ||
    decoded.length !== shape.length + 1 ||
    !shape.every((type, i) => typeof decoded[i + 1] === type && (type !== 'number' || Number.isFinite(decoded[i + 1])))
  ) {
    throw badInput(`invalid cursor "${cursor.slice(0, 60)}": not a cursor of this list`);
  }
  return decoded.slice(1) as (string | number)[];
}

export interface PageWindow<Key> {
  size: number;
  /** Rows strictly beyond this key, in the direction of travel. */
  from: Key | null;
  /** `last`/`before`: read towards the start, then present in the list's order. */
  backward: boolean;
}

export function pageWindow<Key>(args: ConnectionArgs, decode: (cursor: string) => Key): PageWindow<Key> {
  checkPageSize('first', args.first);
  checkPageSize('last', args.last);
  if (args.first != null && args.last != null) throw badInput('pass "first" or "last", not both');
  if (args.after != null && args.before != null) throw badInput('pass "after" or "before", not both');
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

/** `rows` were read with one row more than the page, in the direction of travel. */
export function toConnection<Row, Node>(
  rows: readonly Row[],
  window: PageWindow<unknown>,
  cursorOf: (row: Row) => string,
  nodeOf: (row: Row) => Node,
): Connection<Node> {
  const more = rows.length > window.size;
  const page = rows.slice(0, window.size);
  if (window.backward) page.reverse();
  const edges = page.map((row) => ({ cursor: cursorOf(row), node: nodeOf(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: window.backward ? window.from !== null : more,
      hasPreviousPage: window.backward ? more : window.from !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
