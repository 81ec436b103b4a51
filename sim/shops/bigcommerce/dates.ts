/** RFC 2822 as BigCommerce writes it (UTC, "+0000"), and the forms its list filters accept. */
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function rfc2822(sec: number): string {
  const d = new Date(sec * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export function iso(sec: number): string {
  return new Date(sec * 1000).toISOString().replace('.000Z', '+00:00');
}

/**
 * A date filter value: RFC 2822 ("Thu, 20 Apr 2017 11:32:00 -0400") or ISO 8601 with offset
 * ("2017-04-20T11:32:00.000-04:00"). Epoch seconds, or null when it is neither.
 */
export function parseFilterDate(value: string): number | null {
  let m = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s)?(\d{1,2})\s(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s(\d{4})\s(\d{2}):(\d{2}):(\d{2})\s([+-])(\d{2})(\d{2})$/.exec(value);
  if (m) {
    const utc = Date.UTC(Number(m[3]), MONTHS.indexOf(m[2]!), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
    const off = (Number(m[8]) * 60 + Number(m[9])) * (m[7] === '-' ? -1 : 1);
    return Number.isNaN(utc) ? null : Math.floor(utc / 1000) - off * 60;
  }
  m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (m) {
    const ms = Date.parse(`${m[1]}${m[2]}`);
    return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
  }
  return null;
}
