/**
 * WordPress dates: `YYYY-MM-DDTHH:MM:SS`, no zone, once in site time and once in GMT (`*_gmt`).
 * The simulator keeps epoch seconds and formats on the way out. The site zone is a fixed offset
 * (no DST), default +01:00, so a client that forgets `dates_are_gmt` is off by an hour.
 */

export function parseOffset(offset: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset.trim());
  if (!m) throw new Error(`bad timezone offset ${offset} (want +HH:MM)`);
  const mins = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -mins : mins;
}

export function fmtGmt(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 19);
}

export function fmtLocal(sec: number, offsetMinutes: number): string {
  return fmtGmt(sec + offsetMinutes * 60);
}

export function fmtGmtOpt(sec: number | null): string | null {
  return sec === null ? null : fmtGmt(sec);
}

export function fmtLocalOpt(sec: number | null, offsetMinutes: number): string | null {
  return sec === null ? null : fmtLocal(sec, offsetMinutes);
}

/** Parse `YYYY-MM-DDTHH:MM:SS` (GMT) back into epoch seconds. */
export function parseGmt(s: string): number {
  return Math.floor(Date.parse(s + 'Z') / 1000);
}

/**
 * A date-time query parameter as WordPress validates it (rest_parse_date's RFC 3339 pattern, offset
 * optional). A value without an offset is read as GMT when `dates_are_gmt` is set, otherwise in the
 * site's zone. A value with an explicit offset is taken as that instant. Returns epoch seconds
 * (fractions dropped, like MySQL DATETIME), or null when the value is not a date.
 */
export function parseQueryDate(value: string, datesAreGmt: boolean, siteOffsetMinutes: number): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/.exec(value);
  if (!m) return null;
  const base = Date.parse(`${m[1]}T${m[2]}Z`);
  if (Number.isNaN(base)) return null;
  let offsetMin: number;
  if (m[3] === undefined) offsetMin = datesAreGmt ? 0 : siteOffsetMinutes;
  else if (m[3] === 'Z' || m[3] === 'z') offsetMin = 0;
  else offsetMin = parseOffset(m[3].length === 3 ? `${m[3]}:00` : m[3]);
  return Math.floor(base / 1000) - offsetMin * 60;
}
