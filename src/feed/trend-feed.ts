// Fan-out of newly published trend events to subscribers. The TrendEvent rows are the
// source of truth; this only carries their sequence numbers, after the ingest committed.

import { createPubSub } from 'graphql-yoga';

export interface TrendPublished {
  sequence: number;
}

export type TrendPubSub = ReturnType<typeof createTrendPubSub>;

export const TREND_TOPIC = 'trendPublished';

export function createTrendPubSub() {
  return createPubSub<{ [TREND_TOPIC]: [TrendPublished] }>();
}
