import { invalid, type JsonObject } from '../json-fields.js';

/**
 * WooCommerce dates come in pairs: `date_x` in the site's time zone and `date_x_gmt` in UTC, both as
 * `YYYY-MM-DDTHH:MM:SS` with no zone. We always read the `_gmt` one. The local one is used only when
 * the `_gmt` one is absent (`_fields` subsets, very old stores), shifted by the site's offset learned
 * from any other complete pair in the same document; with no complete pair it is read as UTC, which
 * is then only as good as the site's time zone is close to UTC.
 */
const WOO_DATE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses one WooCommerce date string to epoch ms (UTC when there is no zone); undefined when absent. */
export function parseWooDate(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(path, value, 'a date');
  const plain = plainWooDate(value);
  if (plain !== undefined) return plain;
  const m = WOO_DATE.exec(value);
  if (!m) throw invalid(path, value, 'a date');
  // MySQL's zero date: WordPress writes it for "never".
  if (m[1] === '0000') return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(utc);
  if (Number.isNaN(utc) || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw invalid(path, value, 'a date');
  }
  const zone = m[8];
  if (!zone || zone === 'Z') return utc;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return utc - sign * offsetMin * 60_000;
}

/**
 * The form WooCommerce always sends (`2026-11-20T09:15:02`, no fraction, no zone), read digit by digit: a
 * regex match and its captures cost more than the rest of a date's handling (docs/performance.md, seventh
 * pass). undefined for anything else, which the full pattern then reads (or refuses) as before.
 */
function plainWooDate(v: string): number | undefined {
  if (v.length !== 19) return undefined;
  const sep = v.charCodeAt(10);
  if (v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 32) || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58) return undefined;
  const y = digits(v, 0, 4);
  const mo = digits(v, 5, 2);
  const d = digits(v, 8, 2);
  const h = digits(v, 11, 2);
  const mi = digits(v, 14, 2);
  const s = digits(v, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return undefined;
  // Year 0000 (MySQL's zero date, "never") and impossible dates are left to the full pattern.
  if (y === 0) return undefined;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return utc;
}

/** The number written by `n` ASCII digits at `at`; -1 when one of them is not a digit. */
function digits(v: string, at: number, n: number): number {
  let out = 0;
  for (let i = at; i < at + n; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    out = out * 10 + c;
  }
  return out;
}

const PAIRS = ['date_created', 'date_modified', 'date_paid', 'date_completed'];

/** The site's offset from UTC in ms (local − gmt), from the first complete date pair; 0 when none. */
function siteOffsetMs(raw: JsonObject): number {
  for (const base of PAIRS) {
    const gmt = safeParse(raw[`${base}_gmt`]);
    const local = safeParse(raw[base]);
    if (gmt !== undefined && local !== undefined && hasNoZone(raw[base])) return local - gmt;
  }
  return 0;
}

function safeParse(value: unknown): number | undefined {
  try {
    return parseWooDate(value, '');
  } catch {
    return undefined;
  }
}

function hasNoZone(value: unknown): boolean {
  return typeof value === 'string' && !/(Z|[+-]\d{2}:?\d{2})$/.test(value);
}

/**
 * The instant of `base` (e.g. `date_modified`) as ISO 8601 UTC (`…Z`), or undefined when the
 * document has neither field. Throws ValidationError when a present field is not a date.
 */
export function wooInstant(raw: JsonObject, base: string): string | undefined {
  const gmt = parseWooDate(raw[`${base}_gmt`], `${base}_gmt`);
  if (gmt !== undefined) return new Date(gmt).toISOString();
  const local = parseWooDate(raw[base], base);
  if (local === undefined) return undefined;
  const shift = hasNoZone(raw[base]) ? siteOffsetMs(raw) : 0;
  return new Date(local - shift).toISOString();
}

/** An instant → `YYYY-MM-DDTHH:MM:SS` in GMT, zone-less: the form `modified_after` needs (see paging.ts). */
export function toWooGmt(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}
