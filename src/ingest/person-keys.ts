// Re-keys the people of an archive stored under earlier rules for person keys. When the
// rules change (as they did when transliterations began to fold together and given
// names to tell namesakes apart), a person stored before has a key that pages no longer
// produce: the next page naming them would create a second actor. At start-up the stored people are keyed anew,
// and people the new rules identify are merged (their mentions and aliases moved to the
// oldest, whose slug stays; the others' slugs keep resolving through their aliases).
// The plan is applied by ArchiveWriter.rekeyPeople (src/archive/write/).

import { personKeysOf } from './actors.ts';

export interface StoredPerson {
  id: number;
  key: string;
  name: string;
}

export interface PersonKeyPlan {
  /** Actors whose key changes. */
  renames: { id: number; key: string }[];
  /** Actors merged into another one (the oldest of those sharing a new key). */
  merges: { from: number; into: number }[];
}

/** What has to change so that every stored person has the key today's rules give them. */
export function planPersonKeys(people: readonly StoredPerson[]): PersonKeyPlan {
  const oldestFirst = [...people].sort((a, b) => a.id - b.id);
  const keys = personKeysOf(oldestFirst);
  const holders = new Map<string, StoredPerson>();
  const plan: PersonKeyPlan = { renames: [], merges: [] };
  for (const person of oldestFirst) {
    const key = keys.get(person.id);
    if (key === undefined) continue;
    const holder = holders.get(key);
    if (holder) {
      plan.merges.push({ from: person.id, into: holder.id });
      continue;
    }
    holders.set(key, person);
    if (person.key !== key) plan.renames.push({ id: person.id, key });
  }
  return plan;
}
