/**
 * Scanning JSON text without parsing it (lossless numbers for BC, the text of each order in a shop's page).
 * Index of the quote that closes the string literal starting at `from` (the text's end when unclosed):
 * found with indexOf (native), counting the backslashes before each candidate quote.
 */
export function endOfString(text: string, from: number): number {
  let q = text.indexOf('"', from);
  while (q !== -1) {
    let backslashes = 0;
    for (let k = q - 1; k >= from && text.charCodeAt(k) === 92 /* \ */; k--) backslashes++;
    if (backslashes % 2 === 0) return q;
    q = text.indexOf('"', q + 1);
  }
  return text.length;
}
