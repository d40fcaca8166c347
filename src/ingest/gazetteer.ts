// The curated list of actors the archive knows by name, with the surface forms that
// refer to them (spellings, metonyms, demonyms). People not listed here are discovered
// from titles and name patterns (see actors.ts). Longer aliases win over shorter ones,
// so "Russian Orthodox Church" is the church, not Russia.

export type ActorKindName = 'PERSON' | 'STATE' | 'ORGANIZATION';

export interface GazetteerEntry {
  name: string;
  kind: ActorKindName;
  /** Surface forms besides `name`. All-capital aliases (EU, U.S.) match case-sensitively. */
  aliases: string[];
}

export const GAZETTEER: readonly GazetteerEntry[] = [
  // States. Capitals stand for governments; demonyms for the state in political prose.
  { name: 'Belarus', kind: 'STATE', aliases: ['Minsk', 'Belarusian authorities', 'Belarusian leadership', 'Belarusian', 'Belarussian', 'Republic of Belarus'] },
  { name: 'Russia', kind: 'STATE', aliases: ['Kremlin', 'Moscow', 'Russian', 'Russian Federation', 'Russo'] },
  { name: 'United States', kind: 'STATE', aliases: ['Washington', 'US', 'U.S.', 'USA', 'U.S.A.', 'United States of America', 'American'] },
  { name: 'China', kind: 'STATE', aliases: ['Beijing', 'Chinese', 'Sino', "People's Republic of China"] },
  { name: 'Ukraine', kind: 'STATE', aliases: ['Kyiv', 'Kiev', 'Ukrainian'] },
  { name: 'Poland', kind: 'STATE', aliases: ['Warsaw', 'Polish'] },
  { name: 'Lithuania', kind: 'STATE', aliases: ['Vilnius', 'Lithuanian'] },
  { name: 'Latvia', kind: 'STATE', aliases: ['Riga', 'Latvian'] },
  { name: 'Germany', kind: 'STATE', aliases: ['Berlin', 'German'] },
  { name: 'Syria', kind: 'STATE', aliases: ['Damascus', 'Syrian'] },
  { name: 'Ireland', kind: 'STATE', aliases: ['Dublin', 'Irish'] },
  { name: 'Kazakhstan', kind: 'STATE', aliases: ['Astana', 'Kazakh'] },
  { name: 'Holy See', kind: 'STATE', aliases: ['Vatican'] },

  // Organisations.
  { name: 'European Union', kind: 'ORGANIZATION', aliases: ['EU', 'Brussels'] },
  { name: 'NATO', kind: 'ORGANIZATION', aliases: ['North Atlantic Treaty Organization', 'Alliance'] },
  { name: 'United Nations', kind: 'ORGANIZATION', aliases: ['UN', 'U.N.'] },
  { name: 'UN Human Rights Council', kind: 'ORGANIZATION', aliases: ['Human Rights Council'] },
  { name: 'UN Human Rights Committee', kind: 'ORGANIZATION', aliases: ['Human Rights Committee'] },
  { name: 'OSCE', kind: 'ORGANIZATION', aliases: ['Organization for Security and Co-operation in Europe'] },
  { name: 'OSCE Parliamentary Assembly', kind: 'ORGANIZATION', aliases: ['OSCE PA'] },
  { name: 'Commonwealth of Independent States', kind: 'ORGANIZATION', aliases: ['CIS'] },
  { name: 'Collective Security Treaty Organization', kind: 'ORGANIZATION', aliases: ['CSTO'] },
  { name: 'Union State of Belarus and Russia', kind: 'ORGANIZATION', aliases: ['Union State'] },
  { name: 'US State Department', kind: 'ORGANIZATION', aliases: ['State Department', 'U.S. State Department'] },
  { name: 'Atlantic Council', kind: 'ORGANIZATION', aliases: [] },
  { name: 'Interfax', kind: 'ORGANIZATION', aliases: [] },
  { name: 'Belarusian Foreign Ministry', kind: 'ORGANIZATION', aliases: ['Foreign Ministry of Belarus', 'Belarusian Ministry of Foreign Affairs'] },
  { name: 'Belarusian Defence Ministry', kind: 'ORGANIZATION', aliases: ['Belarusian Defense Ministry', 'Belarusian Ministry of Defence'] },
  { name: 'Belarusian Armed Forces', kind: 'ORGANIZATION', aliases: [] },
  { name: 'Presidential Administration', kind: 'ORGANIZATION', aliases: [] },
  { name: 'Belarusian National Committee', kind: 'ORGANIZATION', aliases: [] },
  { name: 'White Legion', kind: 'ORGANIZATION', aliases: [] },
  { name: 'Patriot Club', kind: 'ORGANIZATION', aliases: [] },
  { name: 'Roman Catholic Church', kind: 'ORGANIZATION', aliases: ['Catholic Church'] },
  { name: 'Russian Orthodox Church', kind: 'ORGANIZATION', aliases: [] },

  // People the archive names often; others are discovered.
  { name: 'Alexander Lukashenko', kind: 'PERSON', aliases: ['Lukashenka', 'Aliaksandr Lukashenka', 'Alexander Lukashenka', 'Alyaksandr Lukashenka'] },
  { name: 'Vladimir Makei', kind: 'PERSON', aliases: ['Makey', 'Vladimir Makey', 'Uladzimir Makei'] },
  { name: 'Vladimir Putin', kind: 'PERSON', aliases: [] },
  { name: 'Dmitry Medvedev', kind: 'PERSON', aliases: ['Dmitri Medvedev'] },
  { name: 'Sergei Lavrov', kind: 'PERSON', aliases: ['Sergey Lavrov'] },
  { name: 'Ales Bialiatski', kind: 'PERSON', aliases: ['Bialiatsky', 'Ales Byalyatski'] },
  { name: 'Mikalai Statkevich', kind: 'PERSON', aliases: ['Nikolai Statkevich'] },
  { name: 'Sviatlana Tsikhanouskaya', kind: 'PERSON', aliases: ['Svetlana Tikhanovskaya'] },
  { name: 'Volodymyr Zelensky', kind: 'PERSON', aliases: ['Zelenskyy'] },
];

/**
 * Words that introduce a person's name. They are not part of the name:
 * "Deputy Foreign Minister Oleg Kravchenko" names Oleg Kravchenko.
 */
export const PERSON_TITLES: readonly string[] = [
  'President', 'Vice President', 'Prime Minister', 'Deputy Prime Minister', 'Minister', 'Deputy Minister',
  'Foreign Minister', 'Deputy Foreign Minister', 'Defence Minister', 'Defense Minister', 'Interior Minister',
  'Ambassador', 'Envoy', 'Secretary of State', 'Assistant Secretary of State', 'Secretary', 'Chancellor',
  'Chairman', 'Chairwoman', 'Speaker', 'Spokesman', 'Spokeswoman', 'Senator', 'General', 'Colonel',
  'Patriarch', 'Pope', 'Metropolitan', 'Mr', 'Mrs', 'Ms', 'Dr',
  'human rights defender', 'human rights activist', 'activist', 'opposition leader', 'opposition politician',
  'politician', 'journalist', 'blogger', 'Special Rapporteur', 'head',
];

/**
 * Given names that mark "Given Surname" as a person even without a title.
 * Common in the region's political news; extend when a page names someone new.
 */
export const GIVEN_NAMES: ReadonlySet<string> = new Set([
  'Ales', 'Alena', 'Aleksandr', 'Aleksei', 'Alexander', 'Alexei', 'Alexey', 'Aliaksandr', 'Aliaksei', 'Alyaksandr',
  'Anatoly', 'Andrei', 'Andrey', 'Andrzej', 'Angela', 'Anna', 'Anton', 'Antony', 'Anthony', 'Bashar', 'Boris',
  'Bridget', 'Catherine', 'Charles', 'Dmitri', 'Dmitry', 'Donald', 'Elena', 'Emmanuel', 'Evgeny', 'Federica',
  'Gennady', 'Grigory', 'Igor', 'Ihar', 'Ivan', 'Jens', 'John', 'Josep', 'Joseph', 'Kirill', 'Leonid', 'Lidia',
  'Maira', 'Maksim', 'Maria', 'Mariya', 'Maryia', 'Maxim', 'Michael', 'Mikalai', 'Mikhail', 'Miklos', 'Mike',
  'Natalia', 'Nikolai', 'Nikolay', 'Oleg', 'Olga', 'Pavel', 'Petro', 'Petr', 'Roman', 'Sergei', 'Sergey',
  'Siarhei', 'Stanislav', 'Sviatlana', 'Svetlana', 'Tatiana', 'Uladzimir', 'Valery', 'Valiantsin', 'Vasily',
  'Viktor', 'Victor', 'Vladimir', 'Volodymyr', 'Vyacheslav', 'Yuri', 'Yury', 'Zianon',
]);

/** Capitalised words that are never (part of) a person's name. */
export const NEVER_NAMES: ReadonlySet<string> = new Set([
  // Section words and labels of the source pages.
  'Similar', 'Articles', 'Category', 'Status', 'Recent', 'Trends', 'Photo', 'Image', 'Фото', 'Фота', 'Header',
  // Calendar words.
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November',
  'December', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday',
  // Sentence and place words that follow titles or given names in headlines.
  'The', 'This', 'That', 'These', 'Those', 'However', 'And', 'Or', 'Of', 'West', 'Western', 'East', 'Eastern',
  'Europe', 'European', 'Ministry', 'Ministries', 'Administration', 'Council', 'Committee', 'Church', 'Club',
  'Forum', 'Games', 'Office', 'Department', 'Government', 'Parliament', 'Assembly', 'Union',
]);
