// Builds the HTTP app: GraphQL (with GraphiQL) at /graphql, /healthz and /readyz.
// Tests use `yoga.fetch` without a port; main.ts calls `start`.

import { createServer, type Server } from 'node:http';
import { createYoga, useReadinessCheck } from 'graphql-yoga';
import { pendingMigrationNames } from '../db/migrations.ts';
import { createTrendPubSub, type TrendPubSub } from '../feed/trend-feed.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { createContext } from '../schema/context.ts';
import { schema } from '../schema/index.ts';
import { GRAPHIQL_DEFAULT_QUERY } from './graphiql.ts';

export interface AppOptions {
  prisma: PrismaClient;
  trends?: TrendPubSub;
  /** Masks unexpected errors and hides GraphiQL's dev details (NODE_ENV=production). */
  production?: boolean;
  log?: (message: string) => void;
}

/** Ready when the database answers and every committed migration has been applied. */
async function isReady(prisma: PrismaClient): Promise<boolean> {
  try {
    const pending = await pendingMigrationNames(() =>
      prisma.$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL`,
    );
    return pending.length === 0;
  } catch {
    return false;
  }
}

export function createApp(options: AppOptions) {
  const { prisma } = options;
  const trends = options.trends ?? createTrendPubSub();
  const yoga = createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    context: ({ request }) => createContext(prisma, trends, request.headers.get('authorization')),
    graphiql: { title: 'Belarus foreign-policy archive', defaultQuery: GRAPHIQL_DEFAULT_QUERY },
    maskedErrors: options.production ? true : { isDev: true },
    plugins: [useReadinessCheck({ endpoint: '/readyz', check: () => isReady(prisma) })],
  });
  const server: Server = createServer(yoga);

  return {
    yoga,
    server,
    trends,
    start(port: number): Promise<number> {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, () => {
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },
    stop(): Promise<void> {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export type App = ReturnType<typeof createApp>;
