// The DateTime scalar: instants as ISO-8601 strings, answered in UTC.

import { Kind } from 'graphql';
import { builder } from './builder.ts';
import { UnreadableDateTime } from './input-bounds.ts';

/** A date, or a date-time with its zone: without one, JavaScript would read it in the server's own time zone. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** JavaScript reads February 30 as March 2; a client who wrote it made a mistake. */
function isCalendarDate(isoDate: string): boolean {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}

/** An unreadable date does not throw here: it fails only the field that received it (see input-bounds.ts). */
function parseDateTime(value: unknown): Date {
  const readable = typeof value === 'string' && ISO_INSTANT.test(value) && isCalendarDate(value.slice(0, 10));
  const date = readable ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : new UnreadableDateTime(value);
}

builder.scalarType('DateTime', {
  description:
    'An instant, as an ISO-8601 string. The API answers in UTC with milliseconds, e.g. "2017-05-15T08:57:00.000Z". As an argument it takes a date-time with "Z" or an offset ("2017-05-15T10:57:00+02:00"), or a date alone ("2017-05-15", meaning midnight UTC). Anything else, a date-time without a zone included, fails the field that received it with BAD_USER_INPUT (the other fields of the operation still run).',
  // A string is already in that form: the article reader has PostgreSQL write it so.
  serialize: (value) => (typeof value === 'string' ? value : (value as Date).toISOString()),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});
