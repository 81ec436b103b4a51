import { expect } from 'vitest';
import type { CanonicalOrder } from '../domain/order.js';

/**
 * Test support for the connectors' to-order tests (imported by *.test.ts only): the checks that hold for
 * every canonical order whatever the platform, and the seeded randomness of the fuzzing tests.
 */

const MONEY = /^-?\d+\.\d{2,5}$/;
const ISO_UTC_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Every amount is a decimal string with 2 to 5 places; creation and modification are ISO UTC with ms. */
export function expectCanonicalAmountsAndDates(order: CanonicalOrder): void {
  const amounts = [
    ...order.lines.flatMap((l) => [l.unitPriceNet, l.discountNet, l.totalNet, l.totalTax]),
    ...order.shippingLines.flatMap((s) => [s.totalNet, s.totalTax]),
    ...order.fees.flatMap((f) => [f.totalNet, f.totalTax]),
    ...order.coupons.flatMap((c) => [c.discountNet, c.discountTax]),
    ...order.refunds.map((r) => r.amount),
    ...Object.values(order.totals),
  ];
  for (const a of amounts) expect(a).toMatch(MONEY);
  expect(order.createdAt).toMatch(ISO_UTC_MS);
  expect(order.modifiedAt).toMatch(ISO_UTC_MS);
}

/** Deterministic PRNG (mulberry32) in [0, 1), so a fuzzing failure reproduces. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
