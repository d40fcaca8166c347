// The site prints local times of Europe/Minsk; the archive stores UTC. Minsk observed
// daylight saving time until 2011, so the offset comes from the time-zone database.

const MINSK = 'Europe/Minsk';

const minskClock = new Intl.DateTimeFormat('en-US', {
  timeZone: MINSK,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** Minsk's offset from UTC, in milliseconds, at the given instant. */
function minskOffsetAt(instant: number): number {
  const parts = Object.fromEntries(minskClock.formatToParts(instant).map((part) => [part.type, part.value]));
  const asIfUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asIfUtc - Math.floor(instant / 1000) * 1000;
}

export interface LocalDateTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
}

/** Instants already converted: a page's date lines repeat, and the conversion asks Intl twice. */
const converted = new Map<number, number>();
const CONVERTED_LIMIT = 10_000;

/** The UTC instant of a wall-clock time in Minsk. */
export function minskLocalTimeToUtc(local: LocalDateTime): Date {
  const wallClockAsUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const known = converted.get(wallClockAsUtc);
  if (known !== undefined) return new Date(known);
  if (converted.size >= CONVERTED_LIMIT) converted.clear();
  // Two passes settle the offset on both sides of a DST change.
  let instant = wallClockAsUtc - minskOffsetAt(wallClockAsUtc);
  instant = wallClockAsUtc - minskOffsetAt(instant);
  converted.set(wallClockAsUtc, instant);
  return new Date(instant);
}
