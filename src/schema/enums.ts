// Enums shared by several types.

import { builder } from './builder.ts';

export const ActorKindEnum = builder.enumType('ActorKind', {
  description: 'What an actor is.',
  values: {
    PERSON: { description: 'A person, e.g. "Vladimir Makei".' },
    STATE: { description: 'A state, also named by its capital or government, e.g. "Russia" (the Kremlin, Moscow).' },
    ORGANIZATION: { description: 'An organisation or alliance, e.g. "European Union", "NATO".' },
  },
});

export const RelatedLinkKindEnum = builder.enumType('RelatedLinkKind', {
  description: 'Why two articles are related.',
  values: {
    EDITORIAL: { description: 'Listed under "Similar articles" on the source article\'s page, in page order.' },
    COMPUTED: {
      description:
        'Found by the archive: the articles share actors (rare ones weigh more) and perhaps their category; see `RelatedLink.score`.',
    },
  },
});
