// Webhooks: editors register URLs that receive each matching trend item as a signed POST
// (Standard Webhooks); `webhooks` shows each one's delivery state. Delivery itself is
// src/feed/webhook-dispatcher.ts.

import { encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { WebhookUrlRefused } from '../feed/webhook-url.ts';
import { createWebhook, deleteWebhook, UnknownFilterError } from '../feed/webhooks.ts';
import type { Webhook as WebhookRow } from '../generated/prisma/client.ts';
import { builder } from './builder.ts';
import { BOUNDS, bounded } from './input-bounds.ts';
import { alwaysExactCount, PRISMA_CURSORS } from './pagination.ts';

const Webhook = builder.prismaNode('Webhook', {
  description:
    'A URL that receives each matching trend item as a signed JSON POST (event `trend.published`, Standard Webhooks headers). Visible to editors only.',
  authScopes: { editor: true },
  id: { field: 'id' },
  nullable: true, // node/nodes answer null for an id that matches no row
  fields: (t) => ({
    url: t.exposeString('url', { description: 'Where each item is POSTed.' }),
    category: t.relation('category', { nullable: true, description: 'Only items of this category; null: any.' }),
    actor: t.relation('actor', { nullable: true, description: 'Only items naming this actor; null: any.' }),
    active: t.exposeBoolean('active', {
      description: 'False once deliveries have failed for 24 hours in a row; nothing is sent to it any more.',
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      description: 'When it was registered; it receives the items published after this.',
    }),
    lastDeliveredSequence: t.exposeInt('lastDeliveredSequence', {
      nullable: true,
      description: 'The `sequence` of the last trend item it acknowledged (2xx); null: none yet.',
    }),
    lastDeliveredAt: t.expose('lastDeliveredAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When that item was acknowledged; null: none yet.',
    }),
    failures: t.exposeInt('failures', {
      description: 'Failed attempts in a row at the item now due; 0 after a success.',
    }),
    failingSince: t.expose('failingSince', {
      type: 'DateTime',
      nullable: true,
      description: 'The first failure of the current run of failures; null while deliveries succeed.',
    }),
    lastError: t.exposeString('lastError', {
      nullable: true,
      description: 'Why the last attempt failed, e.g. "HTTP 500" or "no answer within 5 s"; null after a success.',
    }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'Not before this instant is the next attempt made (after a failure: exponential backoff, 1 s doubling up to 1 h, with jitter); null when inactive.',
      select: { active: true, nextAttemptAt: true },
      resolve: (webhook) => (webhook.active ? webhook.nextAttemptAt : null),
    }),
    deactivatedAt: t.expose('deactivatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was deactivated; null while active.',
    }),
  }),
});

const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
  description: 'Where to send trend items, and which ones.',
  fields: (t) => ({
    url: t.string({
      required: true,
      ...bounded(
        BOUNDS.url,
        'Where to POST: an https URL on a public address (loopback, private, link-local and metadata addresses are refused).',
      ),
    }),
    category: t.string(bounded(BOUNDS.slug, 'Only items of this category (slug); absent or null: any.')),
    actor: t.string(bounded(BOUNDS.slug, 'Only items naming this actor (slug or alias slug); absent or null: any.')),
  }),
});

const CreateWebhookPayload = builder
  .objectRef<{ webhook: WebhookRow; secret: string }>('CreateWebhookPayload')
  .implement({
    description: 'The webhook registered, and its signing secret (shown only here).',
    fields: (t) => ({
      webhook: t.field({
        type: Webhook,
        description: 'The webhook, as `webhooks` lists it.',
        resolve: (payload) => payload.webhook,
      }),
      secret: t.exposeString('secret', {
        description:
          'The signing secret, `whsec_` + base64 of 32 random bytes. Shown only here: keep it to verify `webhook-signature`.',
      }),
    }),
  });

const DeleteWebhookPayload = builder.objectRef<{ deletedWebhookId: string }>('DeleteWebhookPayload').implement({
  description: 'What deleteWebhook removed.',
  fields: (t) => ({
    deletedWebhookId: t.exposeID('deletedWebhookId', { description: 'The id of the webhook that was removed.' }),
  }),
});

builder.queryFields((t) => ({
  webhooks: t.prismaConnection(
    {
      ...PRISMA_CURSORS,
      type: 'Webhook',
      cursor: 'id',
      description: 'Editor scope: every webhook with its delivery state, oldest first.',
      authScopes: { editor: true },
      resolve: (query, _root, _args, context) => context.prisma.webhook.findMany({ ...query, orderBy: { id: 'asc' } }),
      totalCount: (_connection, _args, context) => context.prisma.webhook.count(),
    },
    {
      name: 'WebhookConnection',
      description: 'A page of webhooks, oldest first.',
      fields: (t) => ({
        totalCountIsExact: t.boolean(
          alwaysExactCount('webhooks are few (each registered by an editor), so counting them all is cheap'),
        ),
      }),
    },
    { name: 'WebhookEdge', description: 'A webhook in a page of webhooks, with its cursor.' },
  ),
}));

builder.mutationFields((t) => ({
  createWebhook: t.field({
    type: CreateWebhookPayload,
    description:
      'Editor scope. Registers a URL that receives every trend item published from now on that matches the filters. Refused with code WEBHOOK_URL_REFUSED (and `problem`: INVALID_URL, NOT_HTTPS, PRIVATE_ADDRESS or UNRESOLVABLE) for a URL it may not target, BAD_USER_INPUT for an unknown category or actor.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: CreateWebhookInput, required: true, description: 'The URL and the filters.' }) },
    resolve: async (_root, { input }, context) => {
      try {
        return await createWebhook(context.prisma, input, context.webhookPolicy);
      } catch (error) {
        if (error instanceof WebhookUrlRefused) {
          throw new GraphQLError(error.message, {
            extensions: { code: 'WEBHOOK_URL_REFUSED', problem: error.problem, argument: 'input.url' },
          });
        }
        if (error instanceof UnknownFilterError) {
          throw new GraphQLError(error.message, {
            extensions: { code: 'BAD_USER_INPUT', argument: `input.${error.field}` },
          });
        }
        throw error;
      }
    },
  }),
  deleteWebhook: t.field({
    type: DeleteWebhookPayload,
    description:
      'Editor scope. Removes a webhook; nothing more is sent to it. An unknown id fails with code NOT_FOUND.',
    authScopes: { editor: true },
    args: { id: t.arg.globalID({ required: true, for: Webhook, ...bounded(BOUNDS.globalId, 'The webhook’s `id`.') }) },
    resolve: async (_root, args, context) => {
      if (!(await deleteWebhook(context.prisma, Number(args.id.id)))) {
        throw new GraphQLError('No webhook with that id.', { extensions: { code: 'NOT_FOUND', argument: 'id' } });
      }
      return { deletedWebhookId: encodeGlobalID('Webhook', args.id.id) };
    },
  }),
}));
