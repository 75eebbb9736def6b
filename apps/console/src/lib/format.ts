/** The plant's zone: every time on screen is shown there, whatever the PC's own zone is. */
export const PLANT_TIME_ZONE = 'Asia/Colombo';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** An instant (epoch ms or ISO text, always UTC on the wire) as the plant's wall-clock time. */
export function formatPlantTime(instant: number | string | null | undefined, timeZone = PLANT_TIME_ZONE): string {
  if (instant === null || instant === undefined || instant === '') return '';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return '';
  return formatter(timeZone).format(date);
}

/** The plant's calendar date (YYYY-MM-DD) of an instant: "today" is the plant's today. */
export function plantDate(instant: number | Date, timeZone = PLANT_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** yyyy-mm-dd → dd/mm/yyyy; anything else as it is. */
export function dayFirst(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : iso;
}

const ISO_IN_TEXT = /\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?\b/g;

/**
 * Text a service wrote with ISO dates in it (a trace node's label) as the plant reads it: a
 * calendar day day first, an instant in the plant's zone.
 */
export function plantDatesIn(text: string, timeZone = PLANT_TIME_ZONE): string {
  return text.replace(ISO_IN_TEXT, (iso) => (iso.length === 10 ? dayFirst(iso) : formatPlantTime(iso, timeZone) || iso));
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * A decimal quantity in kg (the API sends decimal strings) rounded half-up to two places, with
 * the arithmetic done on digits so no binary float ever touches a weight.
 */
export function formatKg(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) return text;
  const [, sign, whole, fraction = ''] = match;
  const hundredths = BigInt(whole! + (fraction + '00').slice(0, 2)) + (Number(fraction[2] ?? '0') >= 5 ? 1n : 0n);
  const digits = hundredths.toString().padStart(3, '0');
  const grouped = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const negative = sign === '-' && hundredths !== 0n;
  return `${negative ? '-' : ''}${grouped}.${digits.slice(-2)} kg`;
}

/** Compares decimal strings exactly (for sorting weights). */
export function compareDecimal(a: string, b: string): number {
  const scale = (text: string) => {
    const match = DECIMAL.exec(text.trim());
    if (!match) return 0n;
    const [, sign, whole, fraction = ''] = match;
    const value = BigInt(whole! + (fraction + '000000').slice(0, 6));
    return sign === '-' ? -value : value;
  };
  const x = scale(a);
  const y = scale(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Exact sum of non-negative kg strings, as a decimal string (no binary float ever adds weights). */
export function sumKg(values: readonly string[]): string {
  let thousandths = 0n;
  for (const value of values) {
    const match = /^(\d+)(?:\.(\d{1,3}))?/.exec(value.trim());
    if (match) thousandths += BigInt(match[1]! + (match[2] ?? '').padEnd(3, '0'));
  }
  const digits = thousandths.toString().padStart(4, '0');
  return `${digits.slice(0, -3)}.${digits.slice(-3)}`;
}
