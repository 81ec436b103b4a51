import { describe, expect, it } from 'vitest';
import { ShopError } from '../../domain/errors.js';
import { numericId, planFulfillment, type FulfillmentOrderState } from './fulfillment-plan.js';

const LOC = 'gid://shopify/Location/1';
const fo = (id: number, status: string, lines: [foLine: number, lineItem: number, remaining: number][], locationId = LOC): FulfillmentOrderState => ({
  id: `gid://shopify/FulfillmentOrder/${id}`,
  status,
  locationId,
  lines: lines.map(([foLine, lineItem, remaining]) => ({ id: `gid://shopify/FulfillmentOrderLineItem/${foLine}`, lineItemId: `gid://shopify/LineItem/${lineItem}`, remaining })),
});
const wb = (lines: [shopLineId: string, quantity: string][]) => ({ orderNumber: '1001', lines: lines.map(([shopLineId, quantity]) => ({ shopLineId, quantity, name: `item ${shopLineId}` })) });
const item = (foLine: number, quantity: number) => ({ id: `gid://shopify/FulfillmentOrderLineItem/${foLine}`, quantity });

describe('Shopify write-back: shipped lines → fulfillment order line items', () => {
  it('maps canonical line ids (numeric, as the Shopify mapping makes them, or GIDs) to the fulfillment order line items of those lines', () => {
    const plan = planFulfillment(wb([['11', '2'], ['gid://shopify/LineItem/12', '1']]), [fo(500, 'OPEN', [[901, 11, 2], [902, 12, 3], [903, 13, 1]])], undefined);
    expect(plan.groups).toEqual([{ locationId: LOC, lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/500', fulfillmentOrderLineItems: [item(901, 2), item(902, 1)] }] }]);
    expect(plan.remainingNow).toEqual({ 11: 2, 12: 3 });
    expect(plan.remarks).toEqual([]);
  });

  it('a partial shipment takes only the shipped quantity; one line split over two fulfillment orders of a location is drawn from both', () => {
    const plan = planFulfillment(wb([['11', '3']]), [fo(500, 'IN_PROGRESS', [[901, 11, 1]]), fo(501, 'OPEN', [[911, 11, 4]])], undefined);
    expect(plan.groups).toHaveLength(1);
    expect(plan.groups[0]!.lineItemsByFulfillmentOrder).toEqual([
      { fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/500', fulfillmentOrderLineItems: [item(901, 1)] },
      { fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/501', fulfillmentOrderLineItems: [item(911, 2)] },
    ]);
    expect(plan.toFulfil.get('11')).toBe(3);
  });

  it('fulfillment orders of different locations become one fulfillment each (Shopify refuses to mix locations)', () => {
    const plan = planFulfillment(wb([['11', '1'], ['12', '1']]), [fo(500, 'OPEN', [[901, 11, 1]], 'gid://shopify/Location/1'), fo(501, 'OPEN', [[911, 12, 1]], 'gid://shopify/Location/2')], undefined);
    expect(plan.groups.map((g) => g.locationId)).toEqual(['gid://shopify/Location/1', 'gid://shopify/Location/2']);
  });

  it('never asks for more than remains: what was fulfilled by hand is left out and said so; nothing left → no fulfillment', () => {
    const clamped = planFulfillment(wb([['11', '2']]), [fo(500, 'IN_PROGRESS', [[901, 11, 1]])], undefined);
    expect(clamped.groups[0]!.lineItemsByFulfillmentOrder[0]!.fulfillmentOrderLineItems).toEqual([item(901, 1)]);
    expect(clamped.remarks).toEqual(['item 11: 1 of 2 already fulfilled in Shopify']);
    const none = planFulfillment(wb([['11', '2']]), [fo(500, 'CLOSED', [[901, 11, 0]])], undefined);
    expect(none.groups).toEqual([]);
    expect(none.remarks).toEqual(['item 11: already fulfilled in Shopify']);
  });

  it('with a ledger entry, what disappeared since the snapshot was done by the earlier attempt: a retry fulfils only the rest', () => {
    // The order has 3 of line 11; an earlier shipment took 1 (remaining 2 when this one was first tried).
    const foNow = (remaining: number) => [fo(500, remaining === 0 ? 'CLOSED' : 'IN_PROGRESS', [[901, 11, remaining]])];
    // The earlier attempt went through (remaining fell from 2 to 1): nothing to do.
    expect(planFulfillment(wb([['11', '1']]), foNow(1), { 11: 2 }).groups).toEqual([]);
    // It did not (remaining still 2): fulfil again, the same quantity.
    expect(planFulfillment(wb([['11', '1']]), foNow(2), { 11: 2 }).toFulfil.get('11')).toBe(1);
    // Without the ledger the same state would be fulfilled once more: the ledger is what makes a retry safe.
    expect(planFulfillment(wb([['11', '1']]), foNow(1), undefined).toFulfil.get('11')).toBe(1);
    // Someone fulfilled more by hand meanwhile: never below zero, never twice.
    expect(planFulfillment(wb([['11', '2']]), foNow(0), { 11: 2 }).groups).toEqual([]);
  });

  it('quantities left only on a held fulfillment order fail with the reason (retried later); lines the order no longer has are skipped', () => {
    const held = () => planFulfillment(wb([['11', '1']]), [fo(500, 'ON_HOLD', [[901, 11, 1]])], undefined);
    expect(held).toThrow(ShopError);
    expect(held).toThrow(/1 × item 11 can't be fulfilled in Shopify now: its fulfillment order is ON_HOLD/);
    const gone = planFulfillment(wb([['11', '1'], ['99', '1']]), [fo(500, 'OPEN', [[901, 11, 1]])], undefined);
    expect(gone.toFulfil.get('99')).toBe(0);
    expect(gone.remarks).toEqual(['item 99: not on any fulfillment order in Shopify (removed from the order?)']);
  });

  it('refuses decimal quantities and ids that are not Shopify ids', () => {
    expect(() => planFulfillment(wb([['11', '1.5']]), [fo(500, 'OPEN', [[901, 11, 2]])], undefined)).toThrow(/BC shipped 1.5 of item 11; Shopify fulfils whole items only/);
    expect(() => planFulfillment(wb([['shipping-0', '1']]), [], undefined)).toThrow(/"shipping-0" is not a Shopify line item id/);
    expect(planFulfillment(wb([['11', '2.000']]), [fo(500, 'OPEN', [[901, 11, 2]])], undefined).toFulfil.get('11')).toBe(2);
  });

  it('reads ids in every form', () => {
    expect(numericId('gid://shopify/LineItem/0123')).toBe('123');
    expect(numericId('456')).toBe('456');
    expect(numericId('gid://shopify/LineItem/7?x=1')).toBe('7');
    expect(numericId('abc')).toBeUndefined();
    expect(numericId(undefined)).toBeUndefined();
  });
});
