// Registering and removing webhooks. A new webhook receives the trend items published after
// its creation; its secret is returned once and kept only to sign deliveries.

import type { PrismaClient, Webhook } from '../generated/prisma/client.ts';
import { resolveScope } from './subscription-scope.ts';
import { latestTrendSequence } from './trend-items.ts';
import { generateWebhookSecret } from './webhook-signature.ts';
import { checkWebhookUrl } from './webhook-url.ts';

export interface NewWebhook {
  url: string;
  /** Category slug; null or absent: every category. */
  category?: string | null;
  /** Actor slug or alias slug; null or absent: every actor. */
  actor?: string | null;
}

/** A filter slug that names nothing; `field` is the input field at fault. */
export class UnknownFilterError extends Error {
  override name = 'UnknownFilterError';
  constructor(
    readonly field: 'category' | 'actor',
    slug: string,
  ) {
    super(`No ${field} with the slug "${slug}".`);
  }
}

/** Throws WebhookUrlRefused or UnknownFilterError; stores nothing then. */
export async function createWebhook(
  prisma: PrismaClient,
  input: NewWebhook,
  policy: { allowPrivate: boolean },
): Promise<{ webhook: Webhook; secret: string }> {
  const url = await checkWebhookUrl(input.url, policy);
  const resolution = await resolveScope(prisma, { category: input.category, actor: input.actor });
  if ('unknown' in resolution) throw new UnknownFilterError(resolution.unknown, resolution.slug);
  const secret = generateWebhookSecret();
  const webhook = await prisma.webhook.create({
    data: {
      url: url.toString(),
      secret,
      categoryId: resolution.found.category?.id ?? null,
      actorId: resolution.found.actor?.id ?? null,
      // What is published from now on: an event committed after this read has a higher sequence.
      cursorSequence: await latestTrendSequence(prisma),
    },
  });
  return { webhook, secret };
}

/** Whether a webhook with that id existed (and is now gone). */
export async function deleteWebhook(prisma: PrismaClient, id: number): Promise<boolean> {
  const { count } = await prisma.webhook.deleteMany({ where: { id } });
  return count === 1;
}
