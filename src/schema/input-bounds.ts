// Every bound on what a client may send, in one place. An argument or input field
// declares its bound with `bounded`, which also writes the bound into its description,
// so the Docs panel and the check cannot disagree. The argument-checks plugin refuses a
// value beyond its bound with BAD_USER_INPUT, naming the argument and the bound, before
// the field's resolver (and so any SQL) runs; the cost model counts list sizes with
// `countListItems`.

import {
  type GraphQLArgument,
  GraphQLError,
  type GraphQLInputType,
  getNullableType,
  isInputObjectType,
  isListType,
  isScalarType,
} from 'graphql';
import { MAX_DOCUMENT_BYTES } from '../ingest/parse-document.ts';

/** `first`/`last` when absent. */
export const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;
/** Slugs the archive issues are under 170 characters; the bound leaves room. */
const MAX_SLUG_LENGTH = 200;
/** Cursors the API issues are under 100 characters. */
const MAX_CURSOR_LENGTH = 200;
/** Global ids the API issues are under 40 characters. */
const MAX_GLOBAL_ID_LENGTH = 100;
const MAX_NODE_IDS = 100;
/** An article names a handful of actors; more than this in one filter can match nothing. */
const MAX_FILTER_ACTORS = 20;
/** Full-text queries (`search`, `filter.text`): ample for any phrase, short enough to parse quickly. */
const MAX_SEARCH_TEXT_LENGTH = 500;
/** `actors(search:)`: part of a name. */
const MAX_NAME_SEARCH_LENGTH = 100;
/** `ingestDocument`'s `sourceName`: a file name or path. */
const MAX_SOURCE_NAME_LENGTH = 1024;
/** Webhook URLs: as long as browsers and proxies reliably pass. */
const MAX_URL_LENGTH = 2048;

export interface InputBound {
  /** Longest string, in UTF-16 code units (JavaScript's String.length); for a list, of each item. */
  maxLength?: number;
  /** Longest string in bytes of UTF-8. */
  maxBytes?: number;
  /** Most items in a list. */
  maxItems?: number;
  /** What a list holds, for messages and descriptions ("slugs", "ids"). */
  items?: string;
  /** Smallest and largest integer. */
  min?: number;
  max?: number;
  /** The error when not BAD_USER_INPUT: its code, extensions of its own, and how its message begins. */
  refusal?: { code: string; extensions: Record<string, unknown>; messagePrefix: string };
}

export const BOUNDS = {
  pageSize: { min: 0, max: MAX_PAGE_SIZE },
  slug: { maxLength: MAX_SLUG_LENGTH },
  actorSlugs: { maxItems: MAX_FILTER_ACTORS, items: 'slugs', maxLength: MAX_SLUG_LENGTH },
  cursor: { maxLength: MAX_CURSOR_LENGTH },
  globalId: { maxLength: MAX_GLOBAL_ID_LENGTH },
  globalIds: { maxItems: MAX_NODE_IDS, items: 'ids', maxLength: MAX_GLOBAL_ID_LENGTH },
  searchText: { maxLength: MAX_SEARCH_TEXT_LENGTH },
  nameSearch: { maxLength: MAX_NAME_SEARCH_LENGTH },
  sourceName: { maxLength: MAX_SOURCE_NAME_LENGTH },
  url: { maxLength: MAX_URL_LENGTH },
  // The parser's own limit, refused with the parser's own code: a page too large is a
  // rejected document however it arrives (mutation or `npm run ingest`).
  document: {
    maxBytes: MAX_DOCUMENT_BYTES,
    refusal: { code: 'DOCUMENT_REJECTED', extensions: { reason: 'TOO_LARGE' }, messagePrefix: 'document rejected: ' },
  },
} as const satisfies Record<string, InputBound>;

/** The extension key under which an argument or input field carries its bound. */
const BOUND_EXTENSION = 'inputBound';

const number = (value: number) => value.toLocaleString('en-US');

/** The bound in words, as descriptions end with it. */
export function describeBound(bound: InputBound): string {
  if (bound.min !== undefined && bound.max !== undefined) return `From ${number(bound.min)} to ${number(bound.max)}.`;
  const each = bound.maxItems !== undefined;
  const size =
    bound.maxBytes !== undefined
      ? `${number(bound.maxBytes)} bytes of UTF-8`
      : bound.maxLength !== undefined
        ? `${number(bound.maxLength)} characters`
        : '';
  if (each)
    return `At most ${number(bound.maxItems!)} ${bound.items ?? 'items'}${size ? `, each at most ${size}` : ''}.`;
  return `At most ${size}.`;
}

/** Options for an argument or input field: its description, ending with its bound, and the bound itself. */
export function bounded(bound: InputBound, description: string) {
  return { description: `${description} ${describeBound(bound)}`, extensions: { [BOUND_EXTENSION]: bound } };
}

export function boundOf(element: { extensions?: Readonly<Record<string, unknown>> | null }): InputBound | null {
  return (element.extensions?.[BOUND_EXTENSION] as InputBound | undefined) ?? null;
}

/**
 * What a DateTime argument that is not an ISO-8601 instant parses to. The scalar does not
 * throw: GraphQL would then refuse the whole document, where a bad date should fail only
 * the field that received it (see `argumentProblem`).
 */
export class UnreadableDateTime extends Date {
  constructor(readonly received: unknown) {
    super(Number.NaN);
  }
}

/** A received value for a message, cut short: it may be megabytes long. */
function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value.slice(0, 61)) : String(value).slice(0, 61);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function refuse(argument: string, bound: InputBound, message: string, limit?: number): GraphQLError {
  return new GraphQLError(`${bound.refusal?.messagePrefix ?? ''}"${argument}" ${message}`, {
    extensions: {
      code: bound.refusal?.code ?? 'BAD_USER_INPUT',
      ...bound.refusal?.extensions,
      argument,
      ...(limit !== undefined ? { limit } : {}),
    },
  });
}

function valueProblem(
  argument: string,
  type: GraphQLInputType,
  bound: InputBound | null,
  value: unknown,
): GraphQLError | null {
  if (value === null || value === undefined) return null;
  const nullable = getNullableType(type);
  if (isListType(nullable) && Array.isArray(value)) {
    if (bound?.maxItems !== undefined && value.length > bound.maxItems) {
      return refuse(
        argument,
        bound,
        `may hold at most ${number(bound.maxItems)} ${bound.items ?? 'items'}; got ${number(value.length)}`,
        bound.maxItems,
      );
    }
    for (const item of value) {
      const problem = valueProblem(argument, nullable.ofType, bound, item);
      if (problem) return problem;
    }
    return null;
  }
  if (isInputObjectType(nullable) && typeof value === 'object') {
    for (const field of Object.values(nullable.getFields())) {
      const problem = valueProblem(
        `${argument}.${field.name}`,
        field.type,
        boundOf(field),
        (value as Record<string, unknown>)[field.name],
      );
      if (problem) return problem;
    }
    return null;
  }
  // Any invalid Date, not only an UnreadableDateTime: graphql-jit copies input objects,
  // and a copy is a plain Date of the same (invalid) time.
  if (isScalarType(nullable) && value instanceof Date && Number.isNaN(value.getTime())) {
    // graphql-jit's copy of an input object keeps the (invalid) time but not what was sent.
    const received = value instanceof UnreadableDateTime ? show(value.received) : 'a value of another form';
    return refuse(
      argument,
      {},
      `must be an ISO-8601 date-time with "Z" or an offset ("2017-05-15T08:57:00Z", "2017-05-15T10:57:00+02:00") or a date ("2017-05-15"); got ${received}`,
    );
  }
  if (typeof value === 'string' && bound) {
    if (bound.maxLength !== undefined && value.length > bound.maxLength) {
      return refuse(
        argument,
        bound,
        `may be at most ${number(bound.maxLength)} characters long; got ${number(value.length)}`,
        bound.maxLength,
      );
    }
    const bytes = bound.maxBytes !== undefined ? Buffer.byteLength(value, 'utf8') : 0;
    if (bound.maxBytes !== undefined && bytes > bound.maxBytes) {
      return refuse(
        argument,
        bound,
        `may be at most ${number(bound.maxBytes)} bytes of UTF-8; got ${number(bytes)}`,
        bound.maxBytes,
      );
    }
  }
  if (typeof value === 'number' && bound?.min !== undefined && bound.max !== undefined) {
    if (!Number.isInteger(value) || value < bound.min || value > bound.max) {
      return refuse(
        argument,
        bound,
        `must be an integer from ${bound.min} to ${bound.max}; got ${show(value)}`,
        bound.max,
      );
    }
  }
  return null;
}

/** The first argument value beyond its bound (or an unreadable date), as the error to answer with; null when all fit. */
export function inputProblem(
  args: readonly GraphQLArgument[],
  values: Readonly<Record<string, unknown>>,
): GraphQLError | null {
  for (const arg of args) {
    const problem = valueProblem(arg.name, arg.type, boundOf(arg), values[arg.name]);
    if (problem) return problem;
  }
  return null;
}

/** How many list items the arguments hold, nested lists and input objects included: the cost model charges each. */
export function countListItems(value: unknown): number {
  if (Array.isArray(value)) return value.length + value.reduce((sum: number, item) => sum + countListItems(item), 0);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.values(value).reduce((sum: number, item) => sum + countListItems(item), 0);
  }
  return 0;
}
