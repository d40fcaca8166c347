// What every phase of `npm run bench` shares: the sizes of this run, the database, the
// table being written, and the reference query the API and its peers answer.

import type { Database } from '../db/database.ts';
import type { Report } from './report.ts';

export interface Sizes {
  /** Pages ingested (BENCH_PAGES overrides). */
  ingest: number;
  /** Articles the archive is grown to for the reads at scale. */
  large: number;
  subscribers: number[];
  httpSeconds: number;
  concurrency: number[];
  searchRepeats: number;
  events: number;
  /** The PostGraphile comparison: rounds per concurrency, seconds per window. */
  peerRounds: number;
  peerSeconds: number;
}

export const FULL_SIZES: Sizes = {
  ingest: 10_000,
  large: 100_000,
  subscribers: [1_000, 5_000, 10_000],
  httpSeconds: 5,
  concurrency: [1, 16, 64],
  searchRepeats: 10,
  events: 5,
  peerRounds: 3,
  peerSeconds: 10,
};

export const SMOKE_SIZES: Sizes = {
  ingest: 100,
  large: 1_000,
  subscribers: [50],
  httpSeconds: 1,
  concurrency: [1, 16],
  searchRepeats: 2,
  events: 2,
  peerRounds: 1,
  peerSeconds: 1,
};

export interface Bench {
  smoke: boolean;
  sizes: Sizes;
  databaseUrl: string;
  database: Database;
  report: Report;
  /** The SQL statements `work` sends through `database`. */
  statementsOf(work: () => Promise<unknown>): Promise<string[]>;
}

/** The API's reference query: a page of articles with their category, actors and related links. */
export const REFERENCE = (first: number) => `{ articles(first: ${first}) { totalCount edges { node { title publishedAt
  category { name }
  actors(first: 10) { edges { mentionCount node { name kind } } }
  related(first: 5) { edges { node { kind target { title category { name } } } } } } } } }`;

export function graphqlBody(query: string, variables?: Record<string, unknown>): string {
  return JSON.stringify(variables ? { query, variables } : { query });
}
