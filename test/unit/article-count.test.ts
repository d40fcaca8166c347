// How an article list's count is reported: exact up to EXACT_COUNT_LIMIT, then capped
// and marked inexact; the unfiltered list is always exact (counted from the trend sequence).

import { describe, expect, it } from 'vitest';
import { articleCountOf, EXACT_COUNT_LIMIT } from '../../src/archive/article-queries.ts';

describe('articleCountOf', () => {
  it('reports a filtered count exactly up to the limit, and the limit marked inexact beyond it', () => {
    const filter = { searchText: 'Minsk' };
    expect(articleCountOf(filter, 0)).toEqual({ count: 0, exact: true });
    expect(articleCountOf(filter, EXACT_COUNT_LIMIT)).toEqual({ count: EXACT_COUNT_LIMIT, exact: true });
    // cappedCountSql reads at most one row past the limit: that row means "more than".
    expect(articleCountOf(filter, EXACT_COUNT_LIMIT + 1)).toEqual({ count: EXACT_COUNT_LIMIT, exact: false });
  });

  it('reports every full article exactly, however many', () => {
    expect(articleCountOf({}, 123_456)).toEqual({ count: 123_456, exact: true });
    expect(articleCountOf({ includeStubs: true }, 123_456)).toEqual({ count: EXACT_COUNT_LIMIT, exact: false });
  });
});
