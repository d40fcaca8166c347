// Measures actor finding on a labelled set of pages the project wrote in the source's
// style (test/fixtures/labelled-pages: the pages and labels.json). The pages are read in
// order as an archive grows, each page seeing the people stored before it, as ingestion
// does. Prints precision and recall for people (per page: a labelled person found, a
// person found but not labelled) and the alias-merge accuracy (every form of a person's
// name resolves to one actor; every pair of different people stays two actors).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type ActorMention,
  candidatePersonKeys,
  findPageActors,
  type KnownPerson,
  readPageText,
} from '../../src/ingest/actors.ts';
import { parseDocument } from '../../src/ingest/parse-document.ts';

const DIR = fileURLToPath(new URL('../fixtures/labelled-pages/', import.meta.url));

interface PageLabels {
  people: string[];
  states: string[];
  organizations: string[];
}

interface Labels {
  /** Each person's canonical name → every form the pages write it in. */
  people: Record<string, string[]>;
  apart: [string, string][];
  pages: Record<string, PageLabels>;
}

const labels = JSON.parse(readFileSync(join(DIR, 'labels.json'), 'utf8')) as Labels;
const PAGE_FILES = Object.keys(labels.pages).sort();

interface Score {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

const ratio = (part: number, whole: number) => (whole === 0 ? 1 : part / whole);
const precision = (s: Score) => ratio(s.truePositives, s.truePositives + s.falsePositives);
const recall = (s: Score) => ratio(s.truePositives, s.truePositives + s.falseNegatives);
const percent = (value: number) => `${(100 * value).toFixed(1)} %`;

/** The labelled person an actor is, judged by its name and the forms it was found under. */
function identityOf(actor: ActorMention): string | undefined {
  const forms = new Set([actor.name, ...actor.surfaces]);
  return Object.keys(labels.people).find((person) => labels.people[person]!.some((form) => forms.has(form)));
}

function runLabelledSet() {
  const archive = new Map<string, { name: string; surfaces: Set<string> }>();
  const people: Score = { truePositives: 0, falsePositives: 0, falseNegatives: 0 };
  const institutions: Score = { truePositives: 0, falsePositives: 0, falseNegatives: 0 };
  const keysOfForm = new Map<string, Set<string>>();
  const mistakes: string[] = [];

  for (const file of PAGE_FILES) {
    const page = parseDocument(readFileSync(join(DIR, file)), file);
    const text = readPageText([page, ...page.related].map((article) => [article.title, ...article.paragraphs]));
    // As ingestDocument: the archive's people whose keys the page's words could have.
    const candidates = new Set(candidatePersonKeys(text));
    const known: KnownPerson[] = [...archive]
      .filter(([key]) => candidates.has(key))
      .map(([key, person]) => ({ key, name: person.name, surfaces: [...person.surfaces] }));
    const found = findPageActors(text, known).articles.flat();

    const expected = labels.pages[file]!;
    const foundPeople = found.filter((actor) => actor.kind === 'PERSON');
    const identities = new Set<string>();
    for (const actor of foundPeople) {
      const identity = identityOf(actor);
      if (identity && expected.people.includes(identity)) identities.add(identity);
      else {
        people.falsePositives++;
        mistakes.push(`${file}: found ${actor.name} (${actor.surfaces.join(', ')}), not labelled`);
      }
      for (const form of actor.surfaces) keysOfForm.set(form, (keysOfForm.get(form) ?? new Set()).add(actor.key));
      const stored = archive.get(actor.key) ?? { name: actor.name, surfaces: new Set<string>() };
      // The archive keeps the fullest form of a name (archive_ingest_batch).
      if (actor.name.split(' ').length > stored.name.split(' ').length) stored.name = actor.name;
      for (const form of [actor.name, ...actor.surfaces]) stored.surfaces.add(form);
      archive.set(actor.key, stored);
    }
    people.truePositives += identities.size;
    for (const person of expected.people.filter((p) => !identities.has(p))) {
      people.falseNegatives++;
      mistakes.push(`${file}: missed ${person}`);
    }

    const expectedInstitutions = new Set([...expected.states, ...expected.organizations]);
    const foundInstitutions = new Set(found.filter((a) => a.kind !== 'PERSON').map((a) => a.name));
    for (const name of foundInstitutions) {
      if (expectedInstitutions.has(name)) institutions.truePositives++;
      else institutions.falsePositives++;
    }
    for (const name of expectedInstitutions) if (!foundInstitutions.has(name)) institutions.falseNegatives++;
  }

  // Alias merging: the actors each person's forms resolved to.
  const keysOf = (person: string) =>
    new Set(labels.people[person]!.flatMap((form) => [...(keysOfForm.get(form) ?? [])]));
  const groups = Object.keys(labels.people).filter(
    (person) => labels.people[person]!.filter((form) => keysOfForm.has(form)).length > 1,
  );
  const judgements: { what: string; correct: boolean }[] = [
    ...groups.map((person) => ({ what: `${person}: one actor for every form`, correct: keysOf(person).size === 1 })),
    ...labels.apart.map(([a, b]) => ({
      what: `${a} and ${b} apart`,
      correct: [...keysOf(a)].every((key) => !keysOf(b).has(key)),
    })),
  ];
  for (const judgement of judgements) if (!judgement.correct) mistakes.push(`alias merge: ${judgement.what}`);
  const mergeAccuracy = ratio(judgements.filter((j) => j.correct).length, judgements.length);
  return { people, institutions, mergeAccuracy, judgements, mistakes };
}

describe('actor finding on the labelled pages', () => {
  const result = runLabelledSet();

  it('prints its figures', () => {
    const { people, institutions } = result;
    console.log(
      [
        `labelled set: ${PAGE_FILES.length} pages, ${people.truePositives + people.falseNegatives} people named`,
        `people: precision ${percent(precision(people))}, recall ${percent(recall(people))} (${people.truePositives} found, ${people.falsePositives} wrong, ${people.falseNegatives} missed)`,
        `alias-merge accuracy: ${percent(result.mergeAccuracy)} of ${result.judgements.length} judgements (alias groups and pairs kept apart)`,
        `states and organisations: precision ${percent(precision(institutions))}, recall ${percent(recall(institutions))}`,
        ...result.mistakes.map((mistake) => `  ${mistake}`),
      ].join('\n'),
    );
    expect(PAGE_FILES.length).toBeGreaterThanOrEqual(30);
  });

  it('finds people with at least 95 % precision and 90 % recall', () => {
    expect(precision(result.people)).toBeGreaterThanOrEqual(0.95);
    expect(recall(result.people)).toBeGreaterThanOrEqual(0.9);
  });

  it('never merges two different people, and merges at least 90 % of the alias groups', () => {
    const apart = result.judgements.filter((j) => j.what.endsWith(' apart'));
    expect(apart.filter((j) => !j.correct)).toEqual([]);
    expect(result.mergeAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});
