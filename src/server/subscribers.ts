// Subscribers who do not speak GraphQL: HTTP routes for the feeds (/feeds/…), the live page
// (/live, /live/app.js, and / leading to it) and the articles' canonical pages (/articles/<slug>), and webhook
// delivery. createApp wires them in through `createSubscriberChannels`.
//
// The routes are a yoga plugin, so their responses pass through the same server plugins as
// GraphQL's (CORS, response hooks) and tests reach them through `yoga.fetch`.

import type { Plugin } from 'graphql-yoga';
import type { TrendSignals } from '../feed/trend-feed.ts';
import { type WebhookDeliveryOptions, WebhookDispatcher } from '../feed/webhook-dispatcher.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { parseArticlePath, serveArticlePage } from './article-page.ts';
import { plainTextResponse } from './conditional-get.ts';
import { parseFeedPath, serveFeed } from './feeds.ts';
import { LIVE_PATH, LIVE_SCRIPT_PATH, serveLivePage, serveLiveScript } from './live-page.ts';

interface SubscriberRoutesOptions {
  prisma: PrismaClient;
  /** Origin (and path prefix) of links in feeds and pages; null: each request's own origin. */
  publicBaseUrl: string | null;
  log: (message: string) => void;
}

type Route = (request: Request, url: URL, base: string) => Promise<Response>;

function routeFor(url: URL, prisma: PrismaClient): Route | null {
  const { pathname } = url;
  // The front door: a person who opens the server's address lands on the live page, whose
  // header links the feeds and GraphiQL.
  if (pathname === '/') return async (_request, _url, base) => Response.redirect(`${base}${LIVE_PATH}`, 302);
  if (pathname === LIVE_PATH) return (request, url, base) => serveLivePage(prisma, request, url, base);
  if (pathname === LIVE_SCRIPT_PATH) return (request) => serveLiveScript(request);
  const feed = parseFeedPath(pathname);
  if (feed) return (request, _url, base) => serveFeed(prisma, request, feed, base);
  const article = parseArticlePath(pathname);
  if (article !== null) return (request, _url, base) => serveArticlePage(prisma, request, article, base);
  return null;
}

function useSubscriberRoutes(options: SubscriberRoutesOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      const route = routeFor(url, options.prisma);
      if (!route) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return endResponse(plainTextResponse(405, `${request.method} is not allowed here.`, { allow: 'GET, HEAD' }));
      }
      try {
        endResponse(await route(request, url, options.publicBaseUrl ?? url.origin));
      } catch (error) {
        // Mostly the database: still being prepared at start, or away for a moment.
        options.log(`${url.pathname}: ${(error as Error).stack ?? String(error)}`);
        endResponse(
          plainTextResponse(503, 'The archive cannot answer right now; try again shortly.', { 'retry-after': '5' }),
        );
      }
    },
  };
}

export interface SubscriberOptions {
  /** Origin (and path prefix) of links in feeds, pages and webhooks (PUBLIC_BASE_URL); default: the request's origin, or http://localhost:<port> for webhooks. */
  publicBaseUrl?: string | null;
  /** Webhooks may target private addresses and plain http (WEBHOOK_ALLOW_PRIVATE=1). */
  webhookAllowPrivate?: boolean;
  /**
   * Deliver webhooks from this instance, with these settings. Off unless given, so that an
   * app built for another purpose (most tests) runs no delivery queries.
   */
  webhookDelivery?: Omit<WebhookDeliveryOptions, 'publicBaseUrl' | 'allowPrivate' | 'log'> | false;
}

export function createSubscriberChannels(
  prisma: PrismaClient,
  signals: TrendSignals,
  options: SubscriberOptions,
  log: (message: string) => void,
) {
  let port = 0;
  const publicBaseUrl = options.publicBaseUrl ?? null;
  const allowPrivate = options.webhookAllowPrivate ?? false;
  const webhookDispatcher = options.webhookDelivery
    ? new WebhookDispatcher(prisma, signals, {
        ...options.webhookDelivery,
        publicBaseUrl: () => publicBaseUrl ?? `http://localhost:${port}`,
        allowPrivate,
        log,
      })
    : null;
  return {
    routes: useSubscriberRoutes({ prisma, publicBaseUrl, log }),
    webhookPolicy: { allowPrivate },
    webhookDispatcher,
    /** Once the server listens on `listeningPort`. Delivery starts apart (`webhookDispatcher.start()`), once the database is ready. */
    listening(listeningPort: number): void {
      port = listeningPort;
    },
    stop: async (): Promise<void> => webhookDispatcher?.close(),
  };
}
