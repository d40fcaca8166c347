// Ingestion: synthetic pages through the CLI's path (`npm run ingest`), then the same
// pages again (unchanged: nothing to write).

import { ArchiveWriter } from '../archive/write/writer.ts';
import type { Bench } from './bench.ts';
import { fmt, log } from './report.ts';
import { syntheticPage } from './synthetic-corpus.ts';

export async function measureIngestion({ sizes, database, report }: Bench): Promise<void> {
  const pages = Array.from({ length: sizes.ingest }, (_, n) => syntheticPage(n, sizes.ingest));
  // In batches, computed links refreshed every 1,000 articles; the time includes that refresh.
  const sources = pages.map((page, n) => ({ name: `synthetic-${n}.txt`, read: async () => page }));
  const ingestAll = async () => {
    const t0 = performance.now();
    const reports = await new ArchiveWriter(database).ingestMany(sources);
    const failed = reports.filter((item) => item.outcome === 'FAILED' || item.outcome === 'REJECTED');
    if (failed.length) throw new Error(`${failed.length} pages failed to ingest: ${JSON.stringify(failed[0])}`);
    return pages.length / ((performance.now() - t0) / 1000);
  };
  log(`ingesting ${sizes.ingest} synthetic pages`);
  const ingestRate = await ingestAll();
  report.record(`ingestion, ${fmt(sizes.ingest, 0)} new pages (pages/s)`, fmt(ingestRate), '≥ 500', ingestRate >= 500);
  const reingestRate = await ingestAll();
  report.record(
    `ingestion, the same ${fmt(sizes.ingest, 0)} pages again, unchanged (pages/s)`,
    fmt(reingestRate),
    '≥ 500',
    reingestRate >= 500,
  );
}
