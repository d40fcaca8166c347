// The JSON body of a `trend.published` webhook, in the Standard Webhooks envelope
// ({ type, timestamp, data }). The same item gives the same bytes on every attempt, so a
// receiver can compare retries; the attempt's time travels in the `webhook-timestamp` header.

import { encodeGlobalID } from '@pothos/plugin-relay';
import type { TrendItem } from './trend-items.ts';

const TREND_PUBLISHED_EVENT = 'trend.published';

export function webhookPayload(item: TrendItem, articleUrl: (slug: string) => string): string {
  const { article } = item;
  return JSON.stringify({
    type: TREND_PUBLISHED_EVENT,
    timestamp: item.addedAt.toISOString(),
    data: {
      sequence: item.sequence,
      cursor: item.cursor,
      publishedAt: item.addedAt.toISOString(),
      article: {
        // The GraphQL id: `node(id:)` finds the article.
        id: encodeGlobalID('Article', article.id),
        slug: article.slug,
        title: article.title,
        url: articleUrl(article.slug),
        publishedAt: article.publishedAt.toISOString(),
        category: article.category,
        actors: article.actors,
      },
    },
  });
}
