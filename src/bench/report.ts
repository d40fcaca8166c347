// The benchmark's table: each figure as measured, its goal and PASS/FAIL, printed once at
// the end of a run (progress goes to stderr as it is measured).

interface Row {
  figure: string;
  value: string;
  goal: string;
  pass: boolean | null;
}

export const log = (message: string) => console.error(`[bench] ${message}`);

export function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

export class Report {
  private readonly rows: Row[] = [];

  /** A figure; with a goal, `pass` says whether this run met it. */
  record(figure: string, value: string, goal = '—', pass: boolean | null = null): void {
    this.rows.push({ figure, value, goal, pass });
    console.error(`  ${figure}: ${value}${pass === null ? '' : pass ? ' (PASS)' : ' (FAIL)'}`);
  }

  print(heading: string): void {
    console.log(`\n${heading}\n`);
    console.log('| figure | measured | goal | result |');
    console.log('| --- | --- | --- | --- |');
    for (const row of this.rows) {
      console.log(
        `| ${row.figure} | ${row.value} | ${row.goal} | ${row.pass === null ? '—' : row.pass ? 'PASS' : 'FAIL'} |`,
      );
    }
  }
}
