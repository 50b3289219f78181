/**
 * PMML's date built-ins on ISO 8601 text (the DataDictionary's date types are not read yet, so a
 * date arrives as a string field): "2003-04-01", "2003-04-01T12:30:00" (or a space for the T;
 * seconds and fractions optional; a trailing Z accepted, other offsets refused), and for
 * dateSecondsSinceMidnight also a time alone, "19:30:00". Dates are naive (no time zone, no leap
 * seconds), as PMML's are. Worked examples from the PMML 4.4 spec: dateDaysSinceYear("2003-04-01",
 * 1960) = 15796; dateSecondsSinceYear("1960-01-03T03:30:03", 1960) = 2·86400 + 3·3600 + 30·60 + 3 =
 * 185403; dateSecondsSinceMidnight("19:30:00") = 19·3600 + 30·60 = 70200.
 */
import type { Value } from '../doc/types.ts';
import { toNumber } from './values.ts';

const DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?Z?$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/;
const DAY_MS = 86_400_000;

/** Milliseconds since 1970-01-01T00:00 of the text, or undefined when it is not a valid date. */
function parseDateTime(v: Value): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = DATE_TIME.exec(v.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s >= 60) return undefined;
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99; it rolls 31 April into 1 May, refused below.
  const day = new Date(0).setUTCFullYear(y, mo - 1, d);
  if (new Date(day).getUTCDate() !== d) return undefined;
  return day + ((h * 60 + mi) * 60 + s) * 1000;
}

function yearStart(year: Value): number | undefined {
  const y = toNumber(year);
  return y === undefined || !Number.isInteger(y) ? undefined : new Date(0).setUTCFullYear(y, 0, 1);
}

export const DATE_FUNCTIONS: Record<string, (args: Value[]) => Value | undefined> = {
  dateDaysSinceYear: ([date = null, year = null]) => {
    const t = parseDateTime(date);
    const y0 = yearStart(year);
    return t === undefined || y0 === undefined ? undefined : Math.floor((t - y0) / DAY_MS);
  },
  dateSecondsSinceYear: ([date = null, year = null]) => {
    const t = parseDateTime(date);
    const y0 = yearStart(year);
    return t === undefined || y0 === undefined ? undefined : Math.floor((t - y0) / 1000);
  },
  dateSecondsSinceMidnight: ([time = null]) => {
    if (typeof time !== 'string') return undefined;
    const m = TIME.exec(time.trim());
    if (m) {
      const [h, mi, s] = [m[1], m[2], m[3] ?? '0'].map(Number) as [number, number, number];
      return h > 23 || mi > 59 || s >= 60 ? undefined : Math.floor(h * 3600 + mi * 60 + s);
    }
    const t = parseDateTime(time);
    return t === undefined ? undefined : Math.floor((((t % DAY_MS) + DAY_MS) % DAY_MS) / 1000);
  },
};
