// The people the archive knows, as a page of a batch must see them: those stored, plus
// what the batch's earlier pages taught (a person they introduced, a fuller name, a new
// form of a name). Stored one at a time, each page would read these from the database
// after the one before had committed; in a batch, the earlier pages are not stored yet
// when the later ones are prepared, so what they would have stored is kept here.

import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { KnownPerson } from '../../ingest/actors.ts';
import type { PagePayload } from './page-payload.ts';

/** The stored people with these keys, with their aliases in the order they were stored. */
export async function readKnownPeople(prisma: PrismaClient, keys: readonly string[]): Promise<KnownPerson[]> {
  if (keys.length === 0) return [];
  return prisma.$queryRaw<KnownPerson[]>`
    SELECT a.key, a.name, coalesce(array_agg(al.surface ORDER BY al.id) FILTER (WHERE al.id IS NOT NULL), '{}') AS surfaces
    FROM "Actor" a LEFT JOIN "ActorAlias" al ON al."actorId" = a.id
    WHERE a.kind = 'PERSON' AND a.key = ANY(${[...keys]})
    GROUP BY a.id ORDER BY a.id`;
}

export class KnownPeople {
  private readonly stored = new Map<string, KnownPerson>();
  private readonly storedSurfaces = new Set<string>();
  /** What pages taught about people, by key: the fullest name, the surfaces they claimed. */
  private readonly taught = new Map<string, { name: string; surfaces: string[] }>();
  /** Surfaces claimed by a page taught so far, for any actor: a later claim is void. */
  private readonly claimed = new Set<string>();

  /** Stored people, as read from the database (a newer read replaces an older one). */
  remember(people: readonly KnownPerson[]): void {
    for (const person of people) {
      this.stored.set(person.key, person);
      for (const surface of person.surfaces) this.storedSurfaces.add(surface);
    }
  }

  /** The people with these keys, as the database would hold them had the pages taught so far been stored. */
  lookUp(keys: readonly string[]): KnownPerson[] {
    const people: KnownPerson[] = [];
    for (const key of keys) {
      const stored = this.stored.get(key);
      const taught = this.taught.get(key);
      if (!taught) {
        if (stored) people.push(stored);
      } else if (!stored) {
        people.push({ key, name: taught.name, surfaces: taught.surfaces });
      } else {
        const known = new Set(stored.surfaces);
        people.push({
          key,
          name: moreWords(taught.name, stored.name) ? taught.name : stored.name,
          surfaces: [...stored.surfaces, ...taught.surfaces.filter((surface) => !known.has(surface))],
        });
      }
    }
    return people;
  }

  /** Learns what storing this page teaches, by archive_ingest_batch's rules for actors and aliases. */
  learn(payload: PagePayload): void {
    const people = new Set<string>();
    for (const actor of payload.actors) {
      if (actor.kind !== 'PERSON') continue;
      people.add(actor.key);
      let taught = this.taught.get(actor.key);
      if (!taught) {
        taught = { name: this.stored.get(actor.key)?.name ?? actor.name, surfaces: [] };
        this.taught.set(actor.key, taught);
      }
      // A person keeps the name of the most words seen, the earlier of equals.
      if (moreWords(actor.name, taught.name)) taught.name = actor.name;
    }
    // A surface belongs to the first actor that claimed it. Known limit: a surface held
    // in the archive by an actor this batch has not read (one that is not a person the
    // pages may name) is not known to be taken, so a person of the batch may be taught it.
    for (const alias of payload.aliases) {
      if (this.claimed.has(alias.surface) || this.storedSurfaces.has(alias.surface)) continue;
      this.claimed.add(alias.surface);
      if (people.has(alias.actorKey)) this.taught.get(alias.actorKey)!.surfaces.push(alias.surface);
    }
  }
}

function moreWords(name: string, than: string): boolean {
  return name.split(' ').length > than.split(' ').length;
}
