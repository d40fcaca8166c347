import { describe, expect, it } from 'vitest';
import { foldName, isKnownGivenName } from '../../src/ingest/name-key.ts';

describe('foldName: spellings of one name fold together', () => {
  it.each([
    // The families.
    ['Tsikhanouski', 'Tikhanovsky'],
    ['Siarhei', 'Sergei'],
    ['Raman', 'Roman'],
    ['Pratasevich', 'Protasevich'],
    ['Bialiatski', 'Byalyatsky'],
    ['Mikalai', 'Nikolai'],
    ['Lukashenka', 'Lukashenko'],
    ['Makei', 'Makey'],
    ['Aliaksandr', 'Alexander'],
    // The correspondences one by one.
    ['Kravtsou', 'Kravtsov'], // ou/ov
    ['Tsikhanouskaya', 'Tikhanovskaya'], // ts/t, kh/h
    ['Ihar', 'Igor'], // h/g
    ['Kalesnikava', 'Kolesnikova'], // a/o
    ['Babaryka', 'Babariko'], // y/i, a/o
    ['Yermoshina', 'Ermoshina'], // initial ye/e
    ['Uladzimir', 'Vladimir'], // dz/d and a given-name variant
    ['Dzmitry', 'Dmitry'],
    ['Statkevich', 'Statkevitch'],
    ['Zelenskyy', 'Zelensky'],
    ['al-Assad', 'Assad'],
    // Cyrillic, Russian and Belarusian.
    ['Лукашенко', 'Lukashenka'],
    ['Тихановский', 'Tsikhanouski'],
    ['Ціханоўскі', 'Tsikhanouski'],
    ['Бяляцкі', 'Bialiatski'],
    ['Сергей', 'Siarhei'],
    ['Александр', 'Aliaksandr'],
  ])('%s = %s', (a, b) => expect(foldName(a)).toBe(foldName(b)));
});

describe('foldName: different people stay apart', () => {
  it.each([
    ['Tsikhanouski', 'Tsikhanouskaya'], // husband and wife
    ['Lavrov', 'Lavrova'],
    ['Medvedev', 'Medvedeva'],
    ['Kolesnikov', 'Kolesnikova'],
    ['Putin', 'Patin'],
    ['Lavrov', 'Lukashenko'],
    ['Kravchenko', 'Kravtsov'],
    ['Shushkevich', 'Sushkevich'],
    ['Babaryka', 'Barbarika'],
    ['Makei', 'Makarov'],
    ['Statkevich', 'Stankevich'],
    ['Latushka', 'Lukashenka'],
    ['Viktar', 'Eduard'],
    ['Sviatlana', 'Siarhei'],
    ['Aliaksandr', 'Aliaksei'],
  ])('%s ≠ %s', (a, b) => expect(foldName(a)).not.toBe(foldName(b)));
});

describe('isKnownGivenName', () => {
  it('knows a given name in any of its spellings, Cyrillic included', () => {
    for (const name of ['Siarhei', 'Sergey', 'Сергей', 'Aliaksandr', 'Viktar', 'Volha', 'Gabrielius']) {
      expect(isKnownGivenName(name)).toBe(true);
    }
    for (const word of ['Minsk', 'Landsbergis', 'However']) expect(isKnownGivenName(word)).toBe(false);
  });
});
