/**
 * BC document numbers in the order BC gave them: numeric parts compare as numbers (S-ORD9 before S-ORD10).
 * One collator for all: `localeCompare` with a locale and options builds a collator per comparison, which
 * made sorting a read-back's 40 orders a visible share of the verify stage (docs/performance.md, seventh pass).
 */
export const compareDocumentNumbers: (a: string, b: string) => number = new Intl.Collator('en', { numeric: true }).compare;
