// Enums shared by several types.

import { builder } from './builder.ts';

export const ActorKindEnum = builder.enumType('ActorKind', { values: ['PERSON', 'STATE', 'ORGANIZATION'] as const });

export const RelatedLinkKindEnum = builder.enumType('RelatedLinkKind', {
  values: {
    EDITORIAL: { description: 'Listed under "Similar articles" on the page, in page order.' },
    COMPUTED: { description: 'Found by similarity: shared actors weighted by rarity, same category.' },
  },
});
