// The GraphQL schema: imports every type file, then builds. Printing the schema is
// codegen's job (codegen.ts), never a side effect of importing this module.

import { type GraphQLSchema, isObjectType, lexicographicSortSchema } from 'graphql';
import { builder } from './builder.ts';
import './date-time.ts';
import './node.ts';
import './article.ts';
import './correction.ts';
import './facets.ts';
import './category.ts';
import './actor.ts';
import './related-link.ts';
import './search.ts';
import './trend.ts';
import './ingest.ts';
import './webhook.ts';

/** The Prisma plugin adds `totalCount` to its connections (marked so) without a way to describe it. */
function describePrismaTotalCounts(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    const totalCount = isObjectType(type) ? type.getFields().totalCount : undefined;
    if (totalCount?.extensions.pothosPrismaTotalCount && !totalCount.description) {
      totalCount.description = 'How many items the list holds, in all pages.';
    }
  }
  return schema;
}

function buildSchema() {
  return describePrismaTotalCounts(lexicographicSortSchema(builder.toSchema()));
}

export const schema = buildSchema();
