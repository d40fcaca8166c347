// `npm run corpus:synth -- --count N --out DIR [--seed S]`: writes N deterministic
// synthetic pages (see bench/synthetic-corpus.ts) as DIR/page-00001.txt ...

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { syntheticPage } from '../bench/synthetic-corpus.ts';

const USAGE = 'usage: npm run corpus:synth -- --count N --out DIR [--seed S]';

async function main(argv: string[]): Promise<number> {
  let values: { count?: string; out?: string; seed?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { count: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const count = Number(values.count);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(count) || count < 1 || !values.out || !Number.isInteger(seed)) {
    console.error(USAGE);
    return 2;
  }
  await mkdir(values.out, { recursive: true });
  const width = String(count).length;
  for (let n = 0; n < count; n++) {
    await writeFile(join(values.out, `page-${String(n + 1).padStart(width, '0')}.txt`), syntheticPage(n, count, seed));
  }
  console.error(`wrote ${count} pages to ${values.out} (seed ${seed})`);
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
