/**
 * Responses the way WordPress writes them: PHP's json_encode (slashes escaped as `\/`, non-ASCII as
 * `\uXXXX`, a float that happens to be whole keeps its `.0`), WP_Error bodies
 * `{"code","message","data":{"status"}}` and the headers every REST response carries.
 */
import type { ServerResponse } from 'node:http';

/** Keys whose numbers are PHP floats (line_items[].price): 12.0 stays "12.0" on the wire. */
const FLOAT_KEYS = new Set(['price']);

function phpString(s: string): string {
  // JSON.stringify escapes quotes, backslashes and control characters as PHP does (\n, \u001f, …); PHP also
  // escapes '/' and writes every code unit past '~' as \uXXXX (astral characters as their surrogate pair).
  // Printable ASCII without a slash, nearly every string, needs nothing more.
  let out = JSON.stringify(s);
  if (!PRINTABLE_ASCII.test(s)) out = out.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return s.includes('/') ? out.replace(/\//g, '\\/') : out;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function phpJson(value: unknown, key = ''): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return phpString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '0';
    const s = JSON.stringify(value);
    return FLOAT_KEYS.has(key) && Number.isInteger(value) ? `${s}.0` : s;
  }
  if (Array.isArray(value)) return `[${value.map((v) => phpJson(v, key)).join(',')}]`;
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      parts.push(`${phpString(k)}:${phpJson(v, k)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return 'null';
}

export interface WpError {
  status: number;
  code: string;
  message: string;
  data?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export function wpError(status: number, code: string, message: string, data: Record<string, unknown> = {}): WpError {
  return { status, code, message, data };
}

/** WordPress's 400 for bad query/body parameters, one entry per parameter. */
export function invalidParams(problems: Record<string, { code: string; message: string }>): WpError {
  const names = Object.keys(problems);
  const params: Record<string, string> = {};
  const details: Record<string, unknown> = {};
  for (const n of names) {
    params[n] = problems[n].message;
    details[n] = { code: problems[n].code, message: problems[n].message, data: null };
  }
  return wpError(400, 'rest_invalid_param', `Invalid parameter(s): ${names.join(', ')}`, { params, details });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
  encode: (v: unknown) => string = phpJson,
): void {
  const text = encode(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendWpError(res: ServerResponse, err: WpError, headers: Record<string, string | string[]> = {}): void {
  sendJson(res, err.status, { code: err.code, message: err.message, data: { status: err.status, ...err.data } }, { ...headers, ...err.headers });
}
