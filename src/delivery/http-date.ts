// HTTP-date (RFC 9110 §5.6.7): the preferred IMF-fixdate and the two obsolete forms a
// recipient must still accept. Anything else is not a date, and the header holding it is
// ignored. Pure.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const LONG_DAY = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const MONTH = `(${MONTHS.join("|")})`;
const TIME = "(\\d{2}):(\\d{2}):(\\d{2})";

// Sun, 06 Nov 1994 08:49:37 GMT
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
// Sunday, 06-Nov-94 08:49:37 GMT
const RFC850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
// Sun Nov  6 08:49:37 1994
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/** Milliseconds since the epoch, or null when the value is not an HTTP-date. */
export function parseHttpDate(value: string): number | null {
  const v = value.trim();
  let m = IMF_FIXDATE.exec(v);
  if (m) return build(m[3], m[2], m[1], m[4], m[5], m[6]);
  m = RFC850.exec(v);
  if (m) return build(String(fullYear(Number(m[3]))), m[2], m[1], m[4], m[5], m[6]);
  m = ASCTIME.exec(v);
  if (m) return build(m[6], m[1], m[2], m[3], m[4], m[5]);
  return null;
}

function build(
  year = "",
  month = "",
  day = "",
  hour = "",
  minute = "",
  second = "",
): number | null {
  const parts = [year, day, hour, minute, second].map((p) => Number(p.trim()));
  const [y = 0, d = 0, h = 0, min = 0, s = 0] = parts;
  const mon = MONTHS.indexOf(month);
  if (h > 23 || min > 59 || s > 60) return null;
  // setUTCFullYear, unlike Date.UTC, takes years 0-99 literally.
  const date = new Date(0);
  date.setUTCFullYear(y, mon, d);
  date.setUTCHours(h, min, Math.min(s, 59), 0);
  // Reject days that do not exist in that month (the Date would roll them over).
  return date.getUTCDate() === d ? date.getTime() : null;
}

/**
 * A two-digit RFC 850 year, read per RFC 9110 §5.6.7: in the current century, unless that is
 * more than 50 years in the future, then in the previous one.
 */
export function fullYear(yy: number, now: number = Date.now()): number {
  const current = new Date(now).getUTCFullYear();
  const year = current - (current % 100) + yy;
  return year > current + 50 ? year - 100 : year;
}

/** Whole seconds, as HTTP dates carry them. */
export const toHttpSeconds = (ms: number): number => Math.floor(ms / 1000) * 1000;
