/** Keys whose values are secrets: never printed, logged or shown in the panel. */
const SECRET_KEY = /(secret|password|token|consumerKey|apiKey|accessKey|privateKey|clientState)$/i;

export const REDACTED = '[redacted]';

/** A deep copy of a config (or any object) with every secret value replaced and credentials in URLs removed. */
export function redact<T>(value: T): T {
  return walk(value, '') as T;
}

function walk(value: unknown, key: string): unknown {
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key)) return value === '' ? '' : REDACTED;
    return value.replace(/(\w+:\/\/)([^/@\s:]+):([^/@\s]+)@/g, `$1$2:${REDACTED}@`);
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
  }
  return value;
}

/** Every secret string in a config, so error messages can be scrubbed before they are shown. */
export function collectSecrets(value: unknown, key = '', out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key) && value.length >= 4) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectSecrets(v, key, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectSecrets(v, k, out);
  }
  return out;
}

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join(REDACTED);
  return out;
}
