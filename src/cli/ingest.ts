// `npm run ingest -- [--json] <file|dir>...`: one line per file with its outcome or the
// reason it was rejected. Exit 0 when all landed, 1 when any was rejected, 2 on misuse.

import { ArchiveWriter, type FileReport } from '../archive/write/writer.ts';
import { readConfig } from '../config.ts';
import { prepareDatabase } from '../db/prepare.ts';
import { createRedisArchiveChangeSignals } from '../feed/archive-changes.ts';
import { createRedisTrendSignals } from '../feed/trend-feed.ts';
import { fileSource, listDocumentFiles, MissingPathError } from '../ingest/ingest-files.ts';

const USAGE = 'usage: npm run ingest -- [--json] <file|dir>...';
const PROGRESS_EVERY = 100;

function formatReport(report: FileReport): string {
  switch (report.outcome) {
    case 'REJECTED':
      return `REJECTED  ${report.file}: ${report.reason}: ${report.message}`;
    case 'FAILED':
      return `FAILED    ${report.file}: ${report.message}`;
    default:
      return `${report.outcome.padEnd(9)} ${report.file} (article ${report.articleId})${report.warnings.map((w) => `\n          warning: ${w}`).join('')}`;
  }
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const paths = argv.filter((arg) => arg !== '--json');
  const unknownFlag = paths.find((arg) => arg.startsWith('--'));
  if (unknownFlag || paths.length === 0) {
    console.error(unknownFlag ? `unknown option ${unknownFlag}\n${USAGE}` : USAGE);
    return 2;
  }
  let files: string[];
  try {
    files = await listDocumentFiles(paths);
  } catch (error) {
    if (error instanceof MissingPathError) {
      console.error(`${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }

  const config = readConfig();
  const database = await prepareDatabase(config, { seed: false });
  // Running servers' response caches forget what each write changed. Without Redis they
  // cannot hear of it: they notice the archive's revision moved and drop their caches.
  const changes = config.redisUrl
    ? createRedisArchiveChangeSignals(config.redisUrl, config.operations.redisKeyPrefix)
    : null;
  // Running servers hear of new trend items as each batch commits rather than at their next poll.
  const trendSignals = config.redisUrl
    ? createRedisTrendSignals(config.redisUrl, config.operations.redisKeyPrefix)
    : null;
  const announced: Promise<void>[] = [];
  const writer = new ArchiveWriter(database, {
    changed: changes ? (change) => void announced.push(changes.publish(change)) : undefined,
    published: trendSignals ? (sequence) => trendSignals.publish({ sequence }) : undefined,
  });
  try {
    const reports = await writer.ingestMany(files.map(fileSource), {
      onReport(report, done) {
        console.log(json ? JSON.stringify(report) : formatReport(report));
        if (files.length > PROGRESS_EVERY && (done % PROGRESS_EVERY === 0 || done === files.length)) {
          console.error(`progress: ${done}/${files.length}`);
        }
      },
    });
    return reports.some((report) => report.outcome === 'REJECTED' || report.outcome === 'FAILED') ? 1 : 0;
  } finally {
    await Promise.allSettled(announced);
    await changes?.close();
    await trendSignals?.close();
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`ingest failed: ${error.message}`);
    process.exit(1);
  },
);
