/**
 * WooCommerce returns item names, shipping titles and meta values HTML-escaped for display
 * ("Ship Your Idea &ndash; Color: Black", "Product &times; 1"), and some plugins put markup in meta
 * display values. BC descriptions are plain text, so both are undone here.
 */
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '\u2013', mdash: '\u2014',
  times: '\u00d7', hellip: '\u2026', lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d',
  euro: '\u20ac', pound: '\u00a3', yen: '\u00a5', copy: '\u00a9', reg: '\u00ae', trade: '\u2122',
  deg: '\u00b0', middot: '\u00b7', laquo: '\u00ab', raquo: '\u00bb', shy: '\u00ad',
};

function codePoint(n: number, fallback: string): string {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : fallback;
}

export function plainText(value: string): string {
  return value
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (entity: string, body: string) => {
      if (body[0] === '#') {
        const n = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
        return codePoint(n, entity);
      }
      return NAMED[body.toLowerCase()] ?? entity;
    })
    .replace(/[ \t\r\n]+/g, ' ')
    .trim();
}
