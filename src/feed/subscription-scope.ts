// What a subscriber follows: every trend item, or those of one category, of one actor, or
// both. Feeds, the live page and webhooks resolve the slugs they are given the same way:
// a category by its slug; an actor by its slug or an alias's slug (the canonical slug is
// reported, so that each actor has one feed address and one live-page address).

import { actorSlugLookups } from '../archive/actor-queries.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

export interface ScopeRequest {
  /** Category slug. */
  category?: string | null;
  /** Actor slug or alias slug. */
  actor?: string | null;
}

interface Named {
  id: number;
  slug: string;
  name: string;
}

export interface Scope {
  category: Named | null;
  actor: Named | null;
}

export type ScopeResolution =
  | {
      found: Scope;
      /** False when an alias slug named the actor: the caller may point the client at the canonical one. */
      canonical: boolean;
    }
  | { unknown: 'category' | 'actor'; slug: string };

const NAMED = { id: true, slug: true, name: true } as const;

export async function resolveScope(prisma: PrismaClient, request: ScopeRequest): Promise<ScopeResolution> {
  let category: Named | null = null;
  if (request.category != null) {
    category = await prisma.category.findUnique({ where: { slug: request.category }, select: NAMED });
    if (!category) return { unknown: 'category', slug: request.category };
  }
  let actor: Named | null = null;
  if (request.actor != null) {
    const [bySlug, byAlias] = actorSlugLookups(request.actor);
    actor =
      (await prisma.actor.findFirst({ ...bySlug, select: NAMED })) ??
      (await prisma.actor.findFirst({ ...byAlias, select: NAMED }));
    if (!actor) return { unknown: 'actor', slug: request.actor };
  }
  return { found: { category, actor }, canonical: actor === null || actor.slug === request.actor };
}

/** A scope as stored (a webhook's filter): the ids alone. */
export interface ScopeIds {
  category: { id: number } | null;
  actor: { id: number } | null;
}

/** The trend events a scope follows. */
export function scopeWhere(scope: ScopeIds): Prisma.TrendEventWhereInput {
  return {
    article: {
      ...(scope.category ? { categoryId: scope.category.id } : {}),
      ...(scope.actor ? { mentions: { some: { actorId: scope.actor.id } } } : {}),
    },
  };
}

/** "Security", "Vladimir Makei", "Security · Vladimir Makei", or null for everything. */
export function scopeLabel(scope: Scope): string | null {
  const parts = [scope.category?.name, scope.actor?.name].filter((part): part is string => !!part);
  return parts.length ? parts.join(' · ') : null;
}
