import { describe, expect, it } from 'vitest';
import {
  type ActorMention,
  findActors,
  findPageActors,
  foldName,
  MAX_NAME_WORD_LENGTH,
  personKey,
  readPageText,
} from '../../src/ingest/actors.ts';
import { parseDocument } from '../../src/ingest/parse-document.ts';
import { CORPUS_FILES, corpusPage } from '../support/corpus.ts';

/** Every person the five pages name, read off the pages by hand. */
const PEOPLE_IN_CORPUS = [
  'Alexander Lukashenko', // Lukashenko, Lukashenka, President Lukashenka
  'Vladimir Makei', // Makey, Makei
  'Sergei Lavrov',
  'Dmitry Medvedev', // Russian President Medvedev
  'Vladimir Putin',
  'Ales Bialiatski', // human rights defender Bialiatski
  'Mikalai Statkevich', // "Statkevich-led"
  'Dmitry Rogozin',
  'Oleg Kravchenko', // Deputy Foreign Minister Kravchenko
  'Bridget Brink',
  'Bashar al-Assad',
  'Sergei Kuntsevich',
  'Nikolai Mikhalkov',
  'Elena Kupchina',
  'Maira Mora',
  'Miklos Haraszti',
  'Yuri Ambrazevich',
].sort();

function actorsOfCorpus(): ActorMention[] {
  return CORPUS_FILES.flatMap((file) => {
    const page = parseDocument(corpusPage(file), file);
    return [page, ...page.related].flatMap((article) => findActors([article.title, ...article.paragraphs]));
  });
}

function byName(mentions: readonly ActorMention[], name: string): ActorMention[] {
  return mentions.filter((mention) => mention.name === name);
}

describe('findActors on the bundled corpus', () => {
  const mentions = actorsOfCorpus();

  it('finds every person the pages name, and no PERSON actor is anything else', () => {
    const people = [...new Set(mentions.filter((m) => m.kind === 'PERSON').map((m) => m.name))].sort();
    expect(people).toEqual(PEOPLE_IN_CORPUS);
  });

  it('resolves spelling variants to one actor and keeps every surface form', () => {
    const makei = byName(mentions, 'Vladimir Makei');
    expect(new Set(makei.map((m) => m.key)).size).toBe(1);
    expect(makei.flatMap((m) => m.surfaces)).toEqual(expect.arrayContaining(['Makei', 'Makey', 'Vladimir Makey']));
    const lukashenko = byName(mentions, 'Alexander Lukashenko');
    expect(new Set(lukashenko.map((m) => m.key)).size).toBe(1);
    expect(lukashenko.flatMap((m) => m.surfaces)).toEqual(
      expect.arrayContaining(['Alexander Lukashenko', 'Lukashenka', 'Alexander Lukashenka']),
    );
  });

  it('resolves metonyms and demonyms to their states', () => {
    const surfacesOf = (name: string) => new Set(byName(mentions, name).flatMap((m) => m.surfaces));
    expect([...surfacesOf('Russia')]).toEqual(
      expect.arrayContaining(['Kremlin', 'Moscow', 'Russia', 'Russian', 'Russo']),
    );
    expect([...surfacesOf('Belarus')]).toEqual(expect.arrayContaining(['Minsk', 'Belarusian authorities', 'Belarus']));
    expect([...surfacesOf('United States')]).toEqual(expect.arrayContaining(['Washington', 'US', 'U.S.']));
    expect([...surfacesOf('European Union')]).toEqual(expect.arrayContaining(['Brussels', 'EU']));
    expect([...surfacesOf('China')]).toEqual(expect.arrayContaining(['Beijing', 'Chinese', 'Sino']));
    expect([...surfacesOf('Ukraine')]).toEqual(expect.arrayContaining(['Kyiv', 'Kiev']));
  });

  it('never makes section words, labels or month names into actors', () => {
    const names = mentions.flatMap((m) => [m.name, ...m.surfaces]).join(' | ');
    for (const word of ['Similar', 'Recent', 'Category', 'Image', 'Photo', 'November', 'October', 'May', 'July']) {
      expect(names).not.toMatch(new RegExp(`\\b${word}\\b`));
    }
  });

  it('prefers the longest alias: the Russian Orthodox Church is not Russia', () => {
    const page = findActors(['Patriarch of the Russian Orthodox Church met the Roman-Catholic Church.']);
    expect(page.map((m) => m.name).sort()).toEqual(['Roman Catholic Church', 'Russian Orthodox Church']);
  });
});

describe('findActors on new pages', () => {
  it('discovers an official the gazetteer does not know, without the title', () => {
    const found = findActors([
      'Belarusian Foreign Minister Maksim Ryzhenkov met Deputy Prime Minister Piotr Parkhomchik. Later, Ryzhenkov left for Vienna.',
      'Human rights defender Nasta Loika was detained. The court sentenced Loika.',
    ]);
    const people = found.filter((m) => m.kind === 'PERSON');
    expect(people.map((m) => [m.name, m.count]).sort()).toEqual([
      ['Maksim Ryzhenkov', 2],
      ['Nasta Loika', 2],
      ['Piotr Parkhomchik', 1],
    ]);
  });

  it('resolves a bare surname to a person known from earlier pages', () => {
    const known = [{ key: personKey('Kupchina'), name: 'Elena Kupchina', surfaces: ['Elena Kupchina', 'Kupchina'] }];
    const found = findActors(['Kupchina met the EU delegation.'], known);
    expect(found.find((m) => m.kind === 'PERSON')).toMatchObject({
      key: personKey('Kupchina'),
      name: 'Elena Kupchina',
      count: 1,
    });
  });

  it('does not take the capitalised word after a title for a name when it is an institution or label', () => {
    const found = findActors(['President of Belarus spoke. Minister Of State. Category status: Similar articles.']);
    expect(found.filter((m) => m.kind === 'PERSON')).toEqual([]);
  });

  it('counts mentions', () => {
    const [russia] = findActors(['Russia and the Kremlin; Moscow’s view. Russian troops.']);
    expect(russia).toMatchObject({ name: 'Russia', count: 4 });
  });

  it('does not read a lower-case "us" as the United States', () => {
    expect(findActors(['Let us see what Washington says.']).map((m) => [m.name, m.count])).toEqual([
      ['United States', 1],
    ]);
  });
});

const people = (mentions: readonly ActorMention[]) =>
  mentions
    .filter((m) => m.kind === 'PERSON')
    .map((m) => [m.name, m.count] as const)
    .sort();

describe('findActors: people introduced without a title or a known given name', () => {
  it('finds a given name and surname after a role noun', () => {
    const found = findActors([
      'Makei met his Lithuanian counterpart Gabrielius Landsbergis in Vilnius. Landsbergis said little.',
      'Former presidential hopeful Viktar Babaryka remains in custody; opposition activist Maria Kalesnikava too.',
    ]);
    expect(people(found)).toEqual([
      ['Gabrielius Landsbergis', 2],
      ['Maria Kalesnikava', 1],
      ['Viktar Babaryka', 1],
      ['Vladimir Makei', 1],
    ]);
  });

  it('finds a capitalised pair whose surname recurs alone', () => {
    const found = findActors(['Juozas Olekas arrived on Monday. Olekas met the Belarusian opposition in Vilnius.']);
    expect(people(found)).toEqual([['Juozas Olekas', 2]]);
  });

  it('turns no place, organisation, month or sentence-initial word into a person', () => {
    const found = findActors([
      'Nagorno Karabakh stayed calm. Karabakh was quiet.',
      'However Minsk disagreed. However, Minsk went on.',
      'The Supreme Court ruled. The Court met in May. Human Rights Watch criticised Watch lists.',
      'The European Parliament voted. Parliament adjourned. Nasha Niva reported.',
      'On Tuesday Lukashenka spoke; Tuesday was cold.',
    ]);
    expect(people(found)).toEqual([['Alexander Lukashenko', 1]]);
  });
});

describe('findActors: transliterations fold to one person, different people stay apart', () => {
  it('joins Belarusian-Latin, Russian-BGN and Cyrillic spellings of one person', () => {
    const found = findActors([
      'Blogger Siarhei Tsikhanouski was sentenced. Sergei Tikhanovsky, as Russian media spell him, appealed.',
      'A Russian quote named "Тихановский" and "Лукашенко". Raman Pratasevich, or Roman Protasevich, was detained.',
    ]);
    expect(people(found)).toEqual([
      ['Alexander Lukashenko', 1],
      ['Raman Pratasevich', 2],
      ['Siarhei Tsikhanouski', 3],
    ]);
  });

  it('keeps husband and wife, and father and son, apart', () => {
    const found = findActors([
      'Sviatlana Tsikhanouskaya spoke for her husband Siarhei Tsikhanouski.',
      'Viktar Babaryka was sentenced; his son Eduard Babaryka was tried separately. Eduard Babaryka pleaded not guilty, and Babaryka was taken away.',
    ]);
    // A bare surname goes to the first person of that surname.
    expect(people(found)).toEqual([
      ['Eduard Babaryka', 2],
      ['Siarhei Tsikhanouski', 1],
      ['Sviatlana Tsikhanouskaya', 1],
      ['Viktar Babaryka', 2],
    ]);
    const keys = found.filter((m) => m.name.endsWith('Babaryka')).map((m) => m.key);
    expect(new Set(keys).size).toBe(2);
  });

  it('gives a person the archive knows by surname the full name, and a namesake a key of their own', () => {
    const known = [{ key: personKey('Babaryka'), name: 'Viktar Babaryka', surfaces: ['Viktar Babaryka', 'Babaryka'] }];
    const [viktar] = findActors(['Victor Babariko met lawyers.'], known);
    expect(viktar).toMatchObject({ key: personKey('Babaryka'), name: 'Viktar Babaryka' });
    const [eduard] = findActors(['Eduard Babaryka met lawyers.'], known);
    expect(eduard).toMatchObject({ key: personKey('Babaryka', 'Eduard'), name: 'Eduard Babaryka' });
  });
});

describe('findActors: bounded names', () => {
  it('takes no word longer than the limit for a name, so keys and aliases stay small', () => {
    const long = `K${'a'.repeat(MAX_NAME_WORD_LENGTH)}`;
    const found = findActors([`Foreign Minister ${long} met Makei. ${long} left.`]);
    expect(found.map((m) => m.name)).toEqual(['Vladimir Makei']);
    const known = findActors([`Foreign Minister Ivan K${'a'.repeat(MAX_NAME_WORD_LENGTH - 2)} met.`]);
    expect(known.map((m) => m.kind)).toEqual(['PERSON']);
  });
});

describe('findPageActors', () => {
  it('finds people named anywhere on the page in each of its articles', () => {
    const { articles } = findPageActors(
      readPageText([
        ['Talks in Vilnius', 'His counterpart Gabrielius Landsbergis received Makei.'],
        ['An excerpt', 'Landsbergis later criticised Minsk.'],
      ]),
    );
    expect(people(articles[1]!)).toEqual([['Gabrielius Landsbergis', 1]]);
  });

  it('introduces at most the capped number of new people and warns about the rest', () => {
    const sentences = ['Oleg Aaaa', 'Oleg Bbbb', 'Oleg Cccc'].map((name) => `Foreign Minister ${name} met Makei.`);
    const { articles, warnings } = findPageActors(readPageText([sentences]), [], { maxNewPeople: 2 });
    expect(people(articles[0]!).map(([name]) => name)).toEqual(['Oleg Aaaa', 'Oleg Bbbb', 'Vladimir Makei']);
    expect(warnings).toEqual([
      'the page names 3 people the archive does not know; the first 2 are linked as actors, 1 are left as plain text',
    ]);
  });
});

describe('foldName', () => {
  it.each([
    ['Lukashenko', 'Lukashenka'],
    ['Makey', 'Makei'],
    ['Bialiatski', 'Bialiatsky'],
    ['al-Assad', 'Assad'],
  ])('folds %s and %s together', (a, b) => expect(foldName(a)).toBe(foldName(b)));

  it('keeps different surnames apart', () => {
    expect(foldName('Lavrov')).not.toBe(foldName('Lukashenko'));
    expect(foldName('Putin')).not.toBe(foldName('Patin'));
  });
});
