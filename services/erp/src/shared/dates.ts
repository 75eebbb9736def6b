/**
 * Calendar dates are ISO strings ('YYYY-MM-DD') everywhere in the service. The plant's wall
 * clock (its IANA zone) decides which date "today" is and which local time a pricing window
 * sees; instants stay UTC epoch ms.
 */
export interface LocalParts {
  date: string;
  /** 'HH:MM:SS', 24-hour. */
  time: string;
  weekday: Weekday;
}

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'long',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function localParts(epochMs: number, timeZone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
    weekday: parts.weekday as Weekday,
  };
}

export function plantDate(epochMs: number, timeZone: string): string {
  return localParts(epochMs, timeZone).date;
}

/** The instant local midnight of `date` begins in `timeZone` (DST-safe: the offset is re-read at the result). */
export function startOfLocalDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  let result = guess - offsetMs(guess, timeZone);
  result = guess - offsetMs(result, timeZone);
  return result;
}

function offsetMs(epochMs: number, timeZone: string): number {
  const p = localParts(epochMs, timeZone);
  const [y, m, d] = p.date.split('-').map(Number) as [number, number, number];
  const [hh, mm, ss] = p.time.split(':').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d, hh, mm, ss) - Math.floor(epochMs / 1000) * 1000;
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** A DATE column as read by the driver: the kernel returns 'YYYY-MM-DD' text on every dialect. */
export function isoDate(value: unknown): string {
  if (typeof value === 'string') return value.slice(0, 10);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  throw new TypeError(`not a date: ${String(value)}`);
}

export function isoDateOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : isoDate(value);
}

/** A DATETIME/timestamptz column (written as Date) back to an ISO instant. */
export function isoInstant(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string')
    return new Date(value.includes('T') || value.includes('Z') ? value : `${value.replace(' ', 'T')}Z`).toISOString();
  throw new TypeError(`not an instant: ${String(value)}`);
}

/** TIME columns come back as 'HH:MM:SS' (possibly with fractions) on every driver. */
export function timeOfDay(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value).slice(0, 8);
}
