import type { ShopMapping } from '../../config/schema.js';
import type { HoldReason } from '../hold.js';
import { dec } from '../money.js';
import type { CanonicalOrder } from '../order.js';
import { reasons } from './reasons.js';

export type LineTarget = NonNullable<ShopMapping['freight']>;

export interface CostPlan {
  /** Line for the shipping costs (Tinx Freight Cost Type/No.). */
  freight?: LineTarget;
  /** Fee line id → its target (Sana Webshop Card: payment costs as a sales line). */
  fees: Map<string, LineTarget>;
  /** BC shipment method for the header. */
  shipmentMethodCode?: string;
}

export type CostDecision = { kind: 'plan'; plan: CostPlan } | { kind: 'hold'; hold: HoldReason };

/**
 * Freight, fees and the shipment method. Shipping lines that cost nothing need no freight target (free
 * shipping is common); when a target is set they still become a 0.00 line, so the method stays visible.
 */
export function planCostLines(order: CanonicalOrder, mapping: ShopMapping, at: string): CostDecision {
  const charged = order.shippingLines.some((s) => !dec(s.totalNet).isZero() || !dec(s.totalTax).isZero());
  if (charged && !mapping.freight) return { kind: 'hold', hold: reasons.noFreightTarget(order.orderNumber, at) };

  const byName = new Map(Object.entries(mapping.feesByName).map(([name, t]) => [name.trim().toLowerCase(), t]));
  const fees = new Map<string, LineTarget>();
  for (const f of order.fees) {
    const target = byName.get(f.name.trim().toLowerCase()) ?? mapping.fees;
    if (!target) return { kind: 'hold', hold: reasons.noFeeTarget(order.orderNumber, f.name, at) };
    fees.set(f.lineId, target);
  }

  let shipmentMethodCode: string | undefined;
  for (const s of order.shippingLines) {
    shipmentMethodCode = (s.methodId !== undefined ? mapping.shipmentMethods[s.methodId] : undefined) ?? mapping.shipmentMethods[s.method];
    if (shipmentMethodCode !== undefined) break;
  }
  if (shipmentMethodCode === '') shipmentMethodCode = undefined;
  if (!shipmentMethodCode && mapping.requireShipmentMethod && order.shippingLines.length > 0) {
    const s = order.shippingLines[0];
    return { kind: 'hold', hold: reasons.noShipmentMethod(s.methodId ? `${s.method} (${s.methodId})` : s.method, at) };
  }
  return { kind: 'plan', plan: { freight: mapping.freight, fees, shipmentMethodCode: shipmentMethodCode?.toUpperCase() } };
}
