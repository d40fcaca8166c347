/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Reference($first: Int!) {\n    articles(first: $first) {\n      totalCount\n      edges {\n        node {\n          title\n          publishedAt\n          category { name }\n          actors(first: 10) { edges { mentionCount node { name kind } } }\n          related(first: 5) { edges { node { kind target { title category { name } } } } }\n        }\n      }\n    }\n  }\n": typeof types.ReferenceDocument,
    "\n  query SearchPage($query: String!, $first: Int!, $after: String) {\n    search(query: $query, first: $first, after: $after) {\n      totalCount\n      edges { cursor node { rank headline article { id title } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.SearchPageDocument,
    "\n  query ArticleList($first: Int, $after: String, $last: Int, $before: String, $filter: ArticleFilter, $orderBy: ArticleOrder) {\n    articles(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      edges { cursor node { id slug title publishedAt isStub category { slug } } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      facets {\n        categories { category { slug } count }\n        actors(first: 3) { actor { name } count }\n        years { year count }\n      }\n    }\n  }\n": typeof types.ArticleListDocument,
    "\n  query ActorLookup($slug: String!) {\n    actor(slug: $slug) {\n      id name kind aliases mentionCount\n      coActors(first: 3) { sharedArticles actor { name } }\n      articles(first: 10) { totalCount edges { node { title } } }\n    }\n  }\n": typeof types.ActorLookupDocument,
    "\n  query NodeLookup($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      __typename\n      id\n      ... on Article { title }\n      ... on Actor { name }\n    }\n  }\n": typeof types.NodeLookupDocument,
    "\n  query ArticleBySlug($slug: String!) {\n    article(slug: $slug) {\n      id title lead body paragraphs wordCount imageCredit isStub\n      sourceDocuments { name sha256 ingestedAt }\n      actors(first: 3, kind: PERSON) { totalCount edges { cursor mentionCount node { name } } }\n      related(first: 10) {\n        totalCount\n        edges { node { id position kind score sharedActors { name } source { title } target { title isStub } } }\n      }\n    }\n  }\n": typeof types.ArticleBySlugDocument,
    "\n  query Categories {\n    categories { slug name articleCount articles(first: 5) { totalCount edges { node { title } } } }\n  }\n": typeof types.CategoriesDocument,
    "\n  query ActorList($first: Int, $after: String, $kind: ActorKind, $search: String) {\n    actors(first: $first, after: $after, kind: $kind, search: $search) {\n      totalCount\n      edges { cursor node { name kind } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ActorListDocument,
    "\n  query ConnectionCounts {\n    actors(first: 100) { totalCount totalCountIsExact edges { cursor } }\n    articles(first: 30, filter: { includeStubs: true }) {\n      totalCount\n      totalCountIsExact\n      edges {\n        node {\n          slug\n          actors(first: 40) { totalCount totalCountIsExact edges { cursor } }\n          related(first: 10) { totalCount totalCountIsExact edges { cursor } }\n        }\n      }\n    }\n    search(query: \"Minsk\", first: 100, filter: { includeStubs: true }) { totalCount totalCountIsExact edges { cursor } }\n    trends(first: 100) { totalCount totalCountIsExact edges { cursor } }\n    webhooks(first: 100) { totalCount totalCountIsExact edges { cursor } }\n  }\n": typeof types.ConnectionCountsDocument,
    "\n  mutation IngestDocument($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) {\n      outcome\n      article { id title isStub category { slug } actors(first: 3) { totalCount } }\n    }\n  }\n": typeof types.IngestDocumentDocument,
    "\n  query ArticleCount {\n    articles(first: 0, filter: { includeStubs: true }) { totalCount }\n  }\n": typeof types.ArticleCountDocument,
    "\n  query LoggedCategories {\n    categories { slug }\n  }\n": typeof types.LoggedCategoriesDocument,
    "\n  mutation LoggedIngest($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) { outcome }\n  }\n": typeof types.LoggedIngestDocument,
    "\n  query MetricsCategories {\n    categories { slug }\n  }\n": typeof types.MetricsCategoriesDocument,
    "\n  mutation MetricsIngest($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) { outcome }\n  }\n": typeof types.MetricsIngestDocument,
    "\n  query PersistedCategories {\n    categories { slug articleCount }\n  }\n": typeof types.PersistedCategoriesDocument,
    "\n  query PersistedActor($slug: String!) {\n    actor(slug: $slug) { name }\n  }\n": typeof types.PersistedActorDocument,
    "\n  query CachedLatestTitles {\n    articles(first: 50) { totalCount edges { node { title } } }\n  }\n": typeof types.CachedLatestTitlesDocument,
    "\n  query CachedArticleRelated($slug: String!) {\n    article(slug: $slug) { title related(first: 10) { edges { node { kind target { title } } } } }\n  }\n": typeof types.CachedArticleRelatedDocument,
    "\n  query CachedCategoryName($slug: String!) {\n    category(slug: $slug) { name }\n  }\n": typeof types.CachedCategoryNameDocument,
    "\n  mutation CachedIngest($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) { outcome article { title } }\n  }\n": typeof types.CachedIngestDocument,
    "\n  query SearchRanking($query: String!, $first: Int!) {\n    search(query: $query, first: $first, filter: { includeStubs: true }) {\n      edges { node { rank article { slug } } }\n      pageInfo { hasNextPage }\n    }\n  }\n": typeof types.SearchRankingDocument,
    "\n  query ArticlesMatching($text: String!) {\n    articles(first: 5, filter: { text: $text, includeStubs: true }) {\n      totalCount\n      edges {\n        node {\n          title\n          paragraphs\n          corrections { kind original replacement field paragraphIndex offset }\n        }\n      }\n    }\n  }\n": typeof types.ArticlesMatchingDocument,
    "\n  mutation IngestForRepairs($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) {\n      outcome\n      warnings\n      article { title corrections { original replacement field paragraphIndex } }\n    }\n  }\n": typeof types.IngestForRepairsDocument,
};
const documents: Documents = {
    "\n  query Reference($first: Int!) {\n    articles(first: $first) {\n      totalCount\n      edges {\n        node {\n          title\n          publishedAt\n          category { name }\n          actors(first: 10) { edges { mentionCount node { name kind } } }\n          related(first: 5) { edges { node { kind target { title category { name } } } } }\n        }\n      }\n    }\n  }\n": types.ReferenceDocument,
    "\n  query SearchPage($query: String!, $first: Int!, $after: String) {\n    search(query: $query, first: $first, after: $after) {\n      totalCount\n      edges { cursor node { rank headline article { id title } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.SearchPageDocument,
    "\n  query ArticleList($first: Int, $after: String, $last: Int, $before: String, $filter: ArticleFilter, $orderBy: ArticleOrder) {\n    articles(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      edges { cursor node { id slug title publishedAt isStub category { slug } } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      facets {\n        categories { category { slug } count }\n        actors(first: 3) { actor { name } count }\n        years { year count }\n      }\n    }\n  }\n": types.ArticleListDocument,
    "\n  query ActorLookup($slug: String!) {\n    actor(slug: $slug) {\n      id name kind aliases mentionCount\n      coActors(first: 3) { sharedArticles actor { name } }\n      articles(first: 10) { totalCount edges { node { title } } }\n    }\n  }\n": types.ActorLookupDocument,
    "\n  query NodeLookup($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      __typename\n      id\n      ... on Article { title }\n      ... on Actor { name }\n    }\n  }\n": types.NodeLookupDocument,
    "\n  query ArticleBySlug($slug: String!) {\n    article(slug: $slug) {\n      id title lead body paragraphs wordCount imageCredit isStub\n      sourceDocuments { name sha256 ingestedAt }\n      actors(first: 3, kind: PERSON) { totalCount edges { cursor mentionCount node { name } } }\n      related(first: 10) {\n        totalCount\n        edges { node { id position kind score sharedActors { name } source { title } target { title isStub } } }\n      }\n    }\n  }\n": types.ArticleBySlugDocument,
    "\n  query Categories {\n    categories { slug name articleCount articles(first: 5) { totalCount edges { node { title } } } }\n  }\n": types.CategoriesDocument,
    "\n  query ActorList($first: Int, $after: String, $kind: ActorKind, $search: String) {\n    actors(first: $first, after: $after, kind: $kind, search: $search) {\n      totalCount\n      edges { cursor node { name kind } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ActorListDocument,
    "\n  query ConnectionCounts {\n    actors(first: 100) { totalCount totalCountIsExact edges { cursor } }\n    articles(first: 30, filter: { includeStubs: true }) {\n      totalCount\n      totalCountIsExact\n      edges {\n        node {\n          slug\n          actors(first: 40) { totalCount totalCountIsExact edges { cursor } }\n          related(first: 10) { totalCount totalCountIsExact edges { cursor } }\n        }\n      }\n    }\n    search(query: \"Minsk\", first: 100, filter: { includeStubs: true }) { totalCount totalCountIsExact edges { cursor } }\n    trends(first: 100) { totalCount totalCountIsExact edges { cursor } }\n    webhooks(first: 100) { totalCount totalCountIsExact edges { cursor } }\n  }\n": types.ConnectionCountsDocument,
    "\n  mutation IngestDocument($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) {\n      outcome\n      article { id title isStub category { slug } actors(first: 3) { totalCount } }\n    }\n  }\n": types.IngestDocumentDocument,
    "\n  query ArticleCount {\n    articles(first: 0, filter: { includeStubs: true }) { totalCount }\n  }\n": types.ArticleCountDocument,
    "\n  query LoggedCategories {\n    categories { slug }\n  }\n": types.LoggedCategoriesDocument,
    "\n  mutation LoggedIngest($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) { outcome }\n  }\n": types.LoggedIngestDocument,
    "\n  query MetricsCategories {\n    categories { slug }\n  }\n": types.MetricsCategoriesDocument,
    "\n  mutation MetricsIngest($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) { outcome }\n  }\n": types.MetricsIngestDocument,
    "\n  query PersistedCategories {\n    categories { slug articleCount }\n  }\n": types.PersistedCategoriesDocument,
    "\n  query PersistedActor($slug: String!) {\n    actor(slug: $slug) { name }\n  }\n": types.PersistedActorDocument,
    "\n  query CachedLatestTitles {\n    articles(first: 50) { totalCount edges { node { title } } }\n  }\n": types.CachedLatestTitlesDocument,
    "\n  query CachedArticleRelated($slug: String!) {\n    article(slug: $slug) { title related(first: 10) { edges { node { kind target { title } } } } }\n  }\n": types.CachedArticleRelatedDocument,
    "\n  query CachedCategoryName($slug: String!) {\n    category(slug: $slug) { name }\n  }\n": types.CachedCategoryNameDocument,
    "\n  mutation CachedIngest($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) { outcome article { title } }\n  }\n": types.CachedIngestDocument,
    "\n  query SearchRanking($query: String!, $first: Int!) {\n    search(query: $query, first: $first, filter: { includeStubs: true }) {\n      edges { node { rank article { slug } } }\n      pageInfo { hasNextPage }\n    }\n  }\n": types.SearchRankingDocument,
    "\n  query ArticlesMatching($text: String!) {\n    articles(first: 5, filter: { text: $text, includeStubs: true }) {\n      totalCount\n      edges {\n        node {\n          title\n          paragraphs\n          corrections { kind original replacement field paragraphIndex offset }\n        }\n      }\n    }\n  }\n": types.ArticlesMatchingDocument,
    "\n  mutation IngestForRepairs($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) {\n      outcome\n      warnings\n      article { title corrections { original replacement field paragraphIndex } }\n    }\n  }\n": types.IngestForRepairsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Reference($first: Int!) {\n    articles(first: $first) {\n      totalCount\n      edges {\n        node {\n          title\n          publishedAt\n          category { name }\n          actors(first: 10) { edges { mentionCount node { name kind } } }\n          related(first: 5) { edges { node { kind target { title category { name } } } } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Reference($first: Int!) {\n    articles(first: $first) {\n      totalCount\n      edges {\n        node {\n          title\n          publishedAt\n          category { name }\n          actors(first: 10) { edges { mentionCount node { name kind } } }\n          related(first: 5) { edges { node { kind target { title category { name } } } } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchPage($query: String!, $first: Int!, $after: String) {\n    search(query: $query, first: $first, after: $after) {\n      totalCount\n      edges { cursor node { rank headline article { id title } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query SearchPage($query: String!, $first: Int!, $after: String) {\n    search(query: $query, first: $first, after: $after) {\n      totalCount\n      edges { cursor node { rank headline article { id title } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ArticleList($first: Int, $after: String, $last: Int, $before: String, $filter: ArticleFilter, $orderBy: ArticleOrder) {\n    articles(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      edges { cursor node { id slug title publishedAt isStub category { slug } } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      facets {\n        categories { category { slug } count }\n        actors(first: 3) { actor { name } count }\n        years { year count }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ArticleList($first: Int, $after: String, $last: Int, $before: String, $filter: ArticleFilter, $orderBy: ArticleOrder) {\n    articles(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      edges { cursor node { id slug title publishedAt isStub category { slug } } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      facets {\n        categories { category { slug } count }\n        actors(first: 3) { actor { name } count }\n        years { year count }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ActorLookup($slug: String!) {\n    actor(slug: $slug) {\n      id name kind aliases mentionCount\n      coActors(first: 3) { sharedArticles actor { name } }\n      articles(first: 10) { totalCount edges { node { title } } }\n    }\n  }\n"): (typeof documents)["\n  query ActorLookup($slug: String!) {\n    actor(slug: $slug) {\n      id name kind aliases mentionCount\n      coActors(first: 3) { sharedArticles actor { name } }\n      articles(first: 10) { totalCount edges { node { title } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodeLookup($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      __typename\n      id\n      ... on Article { title }\n      ... on Actor { name }\n    }\n  }\n"): (typeof documents)["\n  query NodeLookup($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      __typename\n      id\n      ... on Article { title }\n      ... on Actor { name }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ArticleBySlug($slug: String!) {\n    article(slug: $slug) {\n      id title lead body paragraphs wordCount imageCredit isStub\n      sourceDocuments { name sha256 ingestedAt }\n      actors(first: 3, kind: PERSON) { totalCount edges { cursor mentionCount node { name } } }\n      related(first: 10) {\n        totalCount\n        edges { node { id position kind score sharedActors { name } source { title } target { title isStub } } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ArticleBySlug($slug: String!) {\n    article(slug: $slug) {\n      id title lead body paragraphs wordCount imageCredit isStub\n      sourceDocuments { name sha256 ingestedAt }\n      actors(first: 3, kind: PERSON) { totalCount edges { cursor mentionCount node { name } } }\n      related(first: 10) {\n        totalCount\n        edges { node { id position kind score sharedActors { name } source { title } target { title isStub } } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Categories {\n    categories { slug name articleCount articles(first: 5) { totalCount edges { node { title } } } }\n  }\n"): (typeof documents)["\n  query Categories {\n    categories { slug name articleCount articles(first: 5) { totalCount edges { node { title } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ActorList($first: Int, $after: String, $kind: ActorKind, $search: String) {\n    actors(first: $first, after: $after, kind: $kind, search: $search) {\n      totalCount\n      edges { cursor node { name kind } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query ActorList($first: Int, $after: String, $kind: ActorKind, $search: String) {\n    actors(first: $first, after: $after, kind: $kind, search: $search) {\n      totalCount\n      edges { cursor node { name kind } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConnectionCounts {\n    actors(first: 100) { totalCount totalCountIsExact edges { cursor } }\n    articles(first: 30, filter: { includeStubs: true }) {\n      totalCount\n      totalCountIsExact\n      edges {\n        node {\n          slug\n          actors(first: 40) { totalCount totalCountIsExact edges { cursor } }\n          related(first: 10) { totalCount totalCountIsExact edges { cursor } }\n        }\n      }\n    }\n    search(query: \"Minsk\", first: 100, filter: { includeStubs: true }) { totalCount totalCountIsExact edges { cursor } }\n    trends(first: 100) { totalCount totalCountIsExact edges { cursor } }\n    webhooks(first: 100) { totalCount totalCountIsExact edges { cursor } }\n  }\n"): (typeof documents)["\n  query ConnectionCounts {\n    actors(first: 100) { totalCount totalCountIsExact edges { cursor } }\n    articles(first: 30, filter: { includeStubs: true }) {\n      totalCount\n      totalCountIsExact\n      edges {\n        node {\n          slug\n          actors(first: 40) { totalCount totalCountIsExact edges { cursor } }\n          related(first: 10) { totalCount totalCountIsExact edges { cursor } }\n        }\n      }\n    }\n    search(query: \"Minsk\", first: 100, filter: { includeStubs: true }) { totalCount totalCountIsExact edges { cursor } }\n    trends(first: 100) { totalCount totalCountIsExact edges { cursor } }\n    webhooks(first: 100) { totalCount totalCountIsExact edges { cursor } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IngestDocument($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) {\n      outcome\n      article { id title isStub category { slug } actors(first: 3) { totalCount } }\n    }\n  }\n"): (typeof documents)["\n  mutation IngestDocument($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) {\n      outcome\n      article { id title isStub category { slug } actors(first: 3) { totalCount } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ArticleCount {\n    articles(first: 0, filter: { includeStubs: true }) { totalCount }\n  }\n"): (typeof documents)["\n  query ArticleCount {\n    articles(first: 0, filter: { includeStubs: true }) { totalCount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LoggedCategories {\n    categories { slug }\n  }\n"): (typeof documents)["\n  query LoggedCategories {\n    categories { slug }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LoggedIngest($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) { outcome }\n  }\n"): (typeof documents)["\n  mutation LoggedIngest($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) { outcome }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MetricsCategories {\n    categories { slug }\n  }\n"): (typeof documents)["\n  query MetricsCategories {\n    categories { slug }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MetricsIngest($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) { outcome }\n  }\n"): (typeof documents)["\n  mutation MetricsIngest($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) { outcome }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PersistedCategories {\n    categories { slug articleCount }\n  }\n"): (typeof documents)["\n  query PersistedCategories {\n    categories { slug articleCount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PersistedActor($slug: String!) {\n    actor(slug: $slug) { name }\n  }\n"): (typeof documents)["\n  query PersistedActor($slug: String!) {\n    actor(slug: $slug) { name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CachedLatestTitles {\n    articles(first: 50) { totalCount edges { node { title } } }\n  }\n"): (typeof documents)["\n  query CachedLatestTitles {\n    articles(first: 50) { totalCount edges { node { title } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CachedArticleRelated($slug: String!) {\n    article(slug: $slug) { title related(first: 10) { edges { node { kind target { title } } } } }\n  }\n"): (typeof documents)["\n  query CachedArticleRelated($slug: String!) {\n    article(slug: $slug) { title related(first: 10) { edges { node { kind target { title } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CachedCategoryName($slug: String!) {\n    category(slug: $slug) { name }\n  }\n"): (typeof documents)["\n  query CachedCategoryName($slug: String!) {\n    category(slug: $slug) { name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CachedIngest($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) { outcome article { title } }\n  }\n"): (typeof documents)["\n  mutation CachedIngest($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) { outcome article { title } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchRanking($query: String!, $first: Int!) {\n    search(query: $query, first: $first, filter: { includeStubs: true }) {\n      edges { node { rank article { slug } } }\n      pageInfo { hasNextPage }\n    }\n  }\n"): (typeof documents)["\n  query SearchRanking($query: String!, $first: Int!) {\n    search(query: $query, first: $first, filter: { includeStubs: true }) {\n      edges { node { rank article { slug } } }\n      pageInfo { hasNextPage }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ArticlesMatching($text: String!) {\n    articles(first: 5, filter: { text: $text, includeStubs: true }) {\n      totalCount\n      edges {\n        node {\n          title\n          paragraphs\n          corrections { kind original replacement field paragraphIndex offset }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ArticlesMatching($text: String!) {\n    articles(first: 5, filter: { text: $text, includeStubs: true }) {\n      totalCount\n      edges {\n        node {\n          title\n          paragraphs\n          corrections { kind original replacement field paragraphIndex offset }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IngestForRepairs($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) {\n      outcome\n      warnings\n      article { title corrections { original replacement field paragraphIndex } }\n    }\n  }\n"): (typeof documents)["\n  mutation IngestForRepairs($input: IngestDocumentInput!) {\n    ingestDocument(input: $input) {\n      outcome\n      warnings\n      article { title corrections { original replacement field paragraphIndex } }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;