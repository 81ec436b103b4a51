import { describe, expect, it } from 'vitest';
import { REASON_CODES, reasons } from './reasons.js';

describe('hold reasons', () => {
  it('every reason has a listed, stable code, a sentence and a fix', () => {
    const samples = [
      reasons.noGuestCustomer('1', 'm'), reasons.noCustomerMatch('42 (a@b.c)', 'm'), reasons.customerNotInBc('C1', 'm.x'),
      reasons.customerBlocked('C1', 'X', 'All', ''), reasons.customerAmbiguous('e-mail', 'a@b.c', ['C1', 'C2'], 'm'),
      reasons.noCustomerTemplate('DE', 'm'), reasons.noCustomerTemplate(undefined, 'm'), reasons.customerCreateRejected('no.', 'T'),
      reasons.missingSku('Mug'), reasons.unknownSku('S', '', 'm'), reasons.itemBlocked('I', 'X', 'S', 'm'),
      reasons.itemAmbiguous('1', ['A', 'B'], 'm'), reasons.variantNotInBc('I', 'V', 'm'), reasons.noFreightTarget('1', 'm'),
      reasons.noFeeTarget('1', 'Fee', 'm'), reasons.noShipmentMethod('Express', 'm'), reasons.shipmentMethodNotInBc('X', 'm'),
      reasons.locationNotInBc('X', 'm'), reasons.dimensionValueInvalid('D', 'v', 'm'), reasons.dimensionValueNotInBc('D', 'V', 'm'),
      reasons.optionValueInvalid('Size', 'XXXL', 'itemVariantCode', 10), reasons.badQuantity('1'), reasons.lookupNotSupported('x', 'm'), reasons.pageNotPublished('no Item page'),
    ];
    expect(samples).toHaveLength(Object.keys(reasons).length + 1);
    for (const r of samples) {
      expect(REASON_CODES).toContain(r.code);
      expect(r.reason).toMatch(/[.)]$/);
      expect(r.hint.length).toBeGreaterThan(10);
    }
  });
});
