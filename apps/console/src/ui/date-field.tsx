import { useEffect, useState, type KeyboardEvent } from 'react';
import { Field } from './field';
import { dayFirst } from '../lib/format';

/**
 * A day-first date field (dd/mm/yyyy), the way the plant writes dates. `<input type="date">`
 * follows the browser's locale, so on the plant's en-US PCs it reads month first and
 * 01/04 meant January to some and April to others.
 */
interface DateFieldProps {
  label: string;
  /** yyyy-mm-dd, or '' for no date. */
  value: string;
  /** A valid day as yyyy-mm-dd, '' when emptied, null while the text is not a date. */
  onChange: (value: string | null) => void;
  hint?: string;
  /** Shown beside the field's own message (e.g. a form's "fill in the day"). */
  error?: string | undefined;
}

type Parsed = { iso: string } | { problem: string } | { empty: true };

const FORMAT_HINT = 'day/month/year, for example 01/04/2026';
const monthName = (month: number) => new Date(Date.UTC(2000, month - 1, 1)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Reads dd/mm/yyyy (also with . - or spaces, or as eight digits) and says in words what is wrong. */
export function parseDayFirst(text: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return { empty: true };
  const match = /^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{4})$/.exec(trimmed) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(trimmed);
  if (!match) return { problem: `Enter the date as ${FORMAT_HINT}.` };
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12) return { problem: `There is no month ${month}: the month comes second (day/month/year).` };
  const last = daysIn(year, month);
  if (day < 1 || day > last)
    return { problem: `${monthName(month)} ${year} has ${last} days, so ${pad(day)}/${pad(month)}/${year} is not a date.` };
  return { iso: `${year}-${pad(month)}-${pad(day)}` };
}

function shiftDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function DateField({ label, value, onChange, hint, error }: DateFieldProps) {
  const [text, setText] = useState(() => dayFirst(value));
  const [problem, setProblem] = useState<string>();

  // A value set from outside (a reset, a default) replaces what is shown, unless it is what is typed.
  useEffect(() => {
    setText((current) => {
      const parsed = parseDayFirst(current);
      const same = 'iso' in parsed ? parsed.iso === value : 'empty' in parsed && value === '';
      return same ? current : dayFirst(value);
    });
    if (value) setProblem(undefined);
  }, [value]);

  function settle(next: string, final: boolean) {
    const parsed = parseDayFirst(next);
    if ('iso' in parsed) {
      setProblem(undefined);
      onChange(parsed.iso);
    } else if ('empty' in parsed) {
      setProblem(undefined);
      onChange('');
    } else if (final) {
      // Judged when the user leaves the field or presses Enter, not at every keystroke.
      setProblem(parsed.problem);
      onChange(null);
    }
  }

  function keyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') settle(text, true);
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    const parsed = parseDayFirst(text);
    if (!('iso' in parsed)) return;
    event.preventDefault();
    const next = shiftDays(parsed.iso, event.key === 'ArrowUp' ? 1 : -1);
    setText(dayFirst(next));
    settle(dayFirst(next), true);
  }

  return (
    <Field
      label={label}
      hint={hint ?? `dd/mm/yyyy · ↑ and ↓ change the day`}
      error={[problem, error].filter(Boolean).join(' ') || undefined}
    >
      <input
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder="dd/mm/yyyy"
        className="date-input"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          settle(event.target.value, false);
        }}
        onBlur={() => settle(text, true)}
        onKeyDown={keyDown}
      />
    </Field>
  );
}
