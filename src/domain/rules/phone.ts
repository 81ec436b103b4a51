/**
 * Phone numbers as people type them: "+49 (0)30 123-4567", "0049 30 1234567", "030 1234567". BC stores the
 * text as typed, so two numbers are compared by their significant digits, never as strings.
 */

/**
 * Digits only: an international number without its prefix (+ or 00) and "(0)" marker, a national number
 * without its trunk 0 ("030 1234567" → "301234567"), so both end in the same significant digits.
 */
export function phoneDigits(raw: string): string {
  const s = raw.trim().replace(/\(0\)/g, '');
  const international = s.startsWith('+') || s.startsWith('00');
  const digits = s.replace(/\D/g, '');
  return international ? digits.replace(/^00/, '') : digits.replace(/^0+/, '');
}

/** Trailing digits compared: enough for area code + subscriber number, fewer than a country code would add. */
export const SIGNIFICANT_DIGITS = 9;
/** Fewer digits than this are not a phone number worth matching on (extensions, placeholders like "0"). */
export const MIN_DIGITS = 6;

/**
 * The key a phone number is matched by: its last 9 significant digits ("+49 30 1234567" and "030 1234567"
 * both give "301234567"), or undefined when it has too few digits to identify anybody.
 */
export function phoneKey(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const digits = phoneDigits(raw);
  if (digits.length < MIN_DIGITS) return undefined;
  return digits.slice(-SIGNIFICANT_DIGITS);
}

export function samePhone(a: string | undefined, b: string | undefined): boolean {
  const ka = phoneKey(a);
  const kb = phoneKey(b);
  if (!ka || !kb) return false;
  // A shorter key (a short national number, "1 5550101" in Vienna) must match the end of the longer one.
  return ka.length <= kb.length ? kb.endsWith(ka) : ka.endsWith(kb);
}

/**
 * What to ask BC for: the last 4 digits, which almost every way of writing a number keeps together
 * ("030 123 4567" → "4567"). BC filters with contains(); the candidates are then compared with samePhone.
 */
export function phoneSearchDigits(raw: string): string | undefined {
  const key = phoneKey(raw);
  return key ? key.slice(-4) : undefined;
}
