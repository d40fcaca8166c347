// The cursor of a trend item: what `trendPublished(after:)` resumes from. GraphQL, the
// live page and webhook payloads all hand out the same one.

import { encodeCursor } from '../schema/pagination.ts';

export function trendCursor(sequence: number): string {
  return encodeCursor('trend', [sequence]);
}
