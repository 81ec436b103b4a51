/**
 * The connector conformance suite: the same behaviour, checked the same way, for every platform the
 * registry knows, against its simulator over real HTTP (issue 8). A platform joins by adding a driver
 * (drivers/<platform>.ts); nothing here names a platform.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ShopError } from '../../src/domain/errors.js';
import { dec } from '../../src/domain/money.js';
import type { DriverInstance } from './driver.js';
import { DRIVERS, MISSING_DRIVERS } from './drivers/index.js';
import { connectorFor, idOf, listAll, parseShop, reconciles } from './helpers.js';

it('every registered platform has a conformance driver', () => {
  expect(MISSING_DRIVERS).toEqual([]);
});

describe.each(DRIVERS.map((d) => [d.platform, d] as const))('%s connector conformance', (_platform, driver) => {
  let shop: DriverInstance | undefined;
  const closers: (() => Promise<void>)[] = [];
  const start = async () => {
    shop = await driver.start();
    return shop;
  };
  const connector = (overrides?: Record<string, unknown>) => {
    const c = connectorFor(shop!.shopConfig(overrides));
    closers.push(() => c.close());
    return c;
  };
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await shop?.close();
    shop = undefined;
  });

  it('an empty store: ping works and the listing yields no order', async () => {
    await start();
    const c = connector();
    const ping = await c.ping();
    expect(ping.detail.length).toBeGreaterThan(5);
    expect(await listAll(c)).toEqual([]);
    expect(await listAll(c, new Date(Date.now() - 3600_000).toISOString())).toEqual([]);
    expect(await c.getOrder('987654')).toBeUndefined();
  });

  it('a refused credential is a SHOP_AUTH error that names the shop and what to check, and never shows a secret', async () => {
    const s = await start();
    await s.generate(2);
    const c = connector(s.badCredentials);
    const failures = await Promise.allSettled([c.ping(), listAll(c)]);
    for (const f of failures) {
      expect(f.status).toBe('rejected');
      const err = (f as PromiseRejectedResult).reason;
      expect(err).toBeInstanceOf(ShopError);
      expect(err.code).toBe('SHOP_AUTH');
      expect(err.retryable).toBe(false);
      expect(err.message).toContain(`"${s.shopConfig().code}"`);
      expect(err.message).toMatch(/check|set|give/i);
      for (const secret of s.secrets) expect(err.message).not.toContain(secret);
    }
  });

  it('lists every order across pages, each mapping and reconciling to the cent', async () => {
    const s = await start();
    const ids = await s.generate(23);
    const c = connector({ pageSize: 5 });
    const raws = await listAll(c);
    const listed = raws.map((r) => idOf(c, r));
    expect(new Set(listed)).toEqual(new Set(await s.listableIds()));
    expect(new Set(listed).size).toBe(listed.length);
    for (const id of ids) expect(listed).toContain(id);
    let previous = '';
    for (const raw of raws) {
      const order = c.toOrder(raw);
      expect(reconciles(order), `order ${order.orderNumber} adds up`).toBe(true);
      expect(order.paid).toBe(true);
      expect(c.identify(raw)?.modifiedAt).toBe(order.modifiedAt);
      // Oldest modification first.
      expect(order.modifiedAt >= previous).toBe(true);
      previous = order.modifiedAt;
    }
    // getOrder returns the same document the listing did.
    const one = await c.getOrder(ids[3]!);
    expect(c.toOrder(one).totals).toEqual(c.toOrder(raws.find((r) => idOf(c, r) === ids[3])).totals);
  });

  it('paging survives orders modified while the listing runs: none is skipped, the newer version is seen', async () => {
    const s = await start();
    const ids = await s.generate(23);
    const c = connector({ pageSize: 5 });
    const touched = new Set<string>();
    const raws = await listAll(c, undefined, async (page, index) => {
      if (index !== 0) return;
      // An order already read moves to the end, shifting every later one a place back; and one not read yet moves too.
      const first = idOf(c, page[0]);
      await s.touch(first);
      await s.touch(ids[ids.length - 2]!);
      touched.add(first).add(ids[ids.length - 2]!);
    });
    const listed = raws.map((r) => idOf(c, r));
    for (const id of ids) expect(listed, `order ${id} listed`).toContain(id);
    for (const id of touched) {
      const versions = raws.filter((r) => idOf(c, r) === id).map((r) => c.toOrder(r).modifiedAt);
      const fresh = c.toOrder(await c.getOrder(id)).modifiedAt;
      expect(versions, `newest version of ${id} listed`).toContain(fresh);
    }
  });

  it('keeps unicode and long addresses exactly', async () => {
    const s = await start();
    const long = `Straße der Pariser Kommune 12 🏠 ${'Hinterhaus, Aufgang B, '.repeat(8)}Ende`;
    const billing = {
      firstName: 'Zoë 美咲', lastName: 'Þórsson-Παπαδόπουλος', company: 'Łódź & Søn ApS', line1: long, line2: 'c/o Ænima – 3. OG',
      city: 'Škofja Loka', postalCode: '4220', country: 'SI', email: 'zoe.misaki@example.com', phone: '+386 4 123 45 67',
    };
    const id = await s.addOrder({ billing, lines: [{ sku: 'MUG-01', quantity: 1 }] });
    const c = connector();
    const raws = await listAll(c);
    const order = c.toOrder(raws.find((r) => idOf(c, r) === id));
    for (const address of [order.billing, order.shipping]) {
      expect(address.firstName).toBe(billing.firstName);
      expect(address.lastName).toBe(billing.lastName);
      expect(address.line1).toBe(long);
      expect(address.line2).toBe(billing.line2);
      expect(address.city).toBe(billing.city);
      expect(address.postalCode).toBe(billing.postalCode);
      expect(address.country).toBe('SI');
    }
    expect(order.billing.company).toBe(billing.company);
    expect(reconciles(order)).toBe(true);
  });

  it('maps zero-priced lines, free shipping, and an order worth nothing', async () => {
    const s = await start();
    const mixed = await s.addOrder({ lines: [{ sku: 'MUG-01', quantity: 1 }, { sku: 'FILTER-100', quantity: 2, unitPrice: '0' }], shippingCost: '0' });
    const free = await s.addOrder({ lines: [{ sku: 'GIFT-BOX', quantity: 1, unitPrice: '0' }], shippingCost: '0' });
    const c = connector();
    const a = c.toOrder(await c.getOrder(mixed));
    const zeroLine = a.lines.find((l) => l.sku === 'FILTER-100')!;
    expect(zeroLine.quantity).toBe('2');
    expect(dec(zeroLine.unitPriceNet).isZero() && dec(zeroLine.totalNet).isZero() && dec(zeroLine.totalTax).isZero()).toBe(true);
    for (const sl of a.shippingLines) expect(dec(sl.totalNet).plus(sl.totalTax).isZero()).toBe(true);
    expect(dec(a.totals.shippingNet).isZero()).toBe(true);
    expect(dec(a.totals.total).gt(0)).toBe(true);
    expect(reconciles(a)).toBe(true);
    const b = c.toOrder(await c.getOrder(free));
    expect(dec(b.totals.total).isZero()).toBe(true);
    expect(b.lines).toHaveLength(1);
    expect(reconciles(b)).toBe(true);
  });

  it('sees cancellations and refunds made after an order was read, with a newer modification time', async () => {
    const s = await start();
    const [toCancel, toRefund, untouched] = await s.generate(3);
    const c = connector();
    const first = await listAll(c);
    const cursor = first.map((r) => c.identify(r)!.modifiedAt!).sort().at(-1)!;
    const before = new Map(first.map((r) => [idOf(c, r), c.toOrder(r)]));
    await new Promise((r) => setTimeout(r, 1100)); // a later second than the first read, as in real life
    await s.cancel(toCancel!);
    const refundAmount = '5.00';
    await s.refund(toRefund!, refundAmount);
    const again = await listAll(c, cursor);
    const byId = new Map(again.map((r) => [idOf(c, r), c.toOrder(r)]));
    const cancelled = byId.get(toCancel!);
    const refunded = byId.get(toRefund!);
    expect(cancelled, 'the cancelled order is listed again').toBeDefined();
    expect(refunded, 'the refunded order is listed again').toBeDefined();
    expect(cancelled!.modifiedAt > before.get(toCancel!)!.modifiedAt).toBe(true);
    expect(refunded!.modifiedAt > before.get(toRefund!)!.modifiedAt).toBe(true);
    // The platform's default rules ignore the status a cancellation leaves.
    const rules = parseShop(s.shopConfig()).rules;
    expect(rules.ignoreStatuses).toContain(cancelled!.status);
    expect(refunded!.refunds.reduce((t, r) => t.plus(r.amount), dec(0)).toFixed(2)).toBe(refundAmount);
    // An order nobody touched is not newer than the cursor.
    const still = byId.get(untouched!);
    if (still) expect(still.modifiedAt <= cursor).toBe(true);
  });
});
