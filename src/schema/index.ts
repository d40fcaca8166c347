// The GraphQL schema: imports every type file, then builds. Printing the schema is
// codegen's job (codegen.ts), never a side effect of importing this module.

import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.ts';
import './article.ts';
import './correction.ts';
import './facets.ts';
import './category.ts';
import './actor.ts';
import './related-link.ts';
import './search.ts';
import './trend.ts';
import './ingest.ts';
import { enforcePageSizeLimits } from './pagination.ts';

function buildSchema() {
  return enforcePageSizeLimits(lexicographicSortSchema(builder.toSchema()));
}

export const schema = buildSchema();
