/**
 * BigCommerce v2 dates are RFC 2822 strings in UTC ("Tue, 05 Mar 2019 21:40:11 +0000"); `date_shipped`
 * is "" until shipped. The list filters accept RFC 2822 or ISO 8601. Parsing is strict and by hand:
 * Date.parse accepts far more than either format and reads zone-less strings in the host's zone.
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const RFC2822 = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|GMT|UT|UTC|Z)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMin: number): number | undefined {
  if (mo < 0 || mo > 11 || h > 23 || mi > 59 || s > 60) return undefined;
  const utc = Date.UTC(y, mo, d, h, mi, Math.min(s, 59), ms);
  const check = new Date(utc);
  if (Number.isNaN(utc) || check.getUTCDate() !== d || check.getUTCMonth() !== mo) return undefined;
  return utc - offsetMin * 60_000;
}

function zoneMinutes(zone: string | undefined): number {
  if (!zone || /^(GMT|UT|UTC|Z)$/.test(zone)) return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

/** Epoch ms of an RFC 2822 or ISO 8601 (with zone) string; undefined when it is neither. */
export function parseBigCommerceDate(value: string): number | undefined {
  const text = value.trim();
  let m = RFC2822.exec(text);
  if (m) {
    const mo = MONTHS.indexOf(m[2]!.toLowerCase());
    return build(Number(m[3]), mo, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), 0, zoneMinutes(m[7]));
  }
  m = ISO.exec(text);
  if (m) {
    const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
    return build(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms, zoneMinutes(m[8]));
  }
  return undefined;
}

/** An instant as RFC 2822 in UTC, the form BigCommerce itself writes ("Thu, 20 Apr 2017 15:32:00 +0000"). */
export function formatRfc2822(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  const month = MONTHS[d.getUTCMonth()]!;
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${month[0]!.toUpperCase()}${month.slice(1)} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
