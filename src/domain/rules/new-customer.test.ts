import { describe, expect, it } from 'vitest';
import { customerTemplateSchema } from '../../config/shop-rules.js';
import { newCustomerFor } from './new-customer.js';
import { testOrder } from './test-orders.js';

describe('a new BC customer from a template', () => {
  const template = customerTemplateSchema.parse({ template: 'B2C-DE', paymentTermsCode: '14 DAYS', shipmentMethodCode: 'DHL', taxLiable: true });

  it('takes name and address from the billing address and the rest from the template', () => {
    const c = newCustomerFor(testOrder(), template, { mode: 'series', prefix: 'WEB' });
    expect(c).toEqual({
      displayName: 'Anna Schmidt', type: 'Person', addressLine1: 'Ring 3', city: 'Berlin', country: 'DE', postalCode: '10115',
      phoneNumber: '+49 30 1234567', email: 'Anna@Example.test', paymentTermsCode: '14 DAYS', shipmentMethodCode: 'DHL', taxLiable: true,
      templateCode: 'B2C-DE',
    });
  });

  it('numbers it prefix + shop customer id when asked; a guest or a too long number gets the number series', () => {
    expect(newCustomerFor(testOrder(), template, { mode: 'shopCustomerId', prefix: 'web' }).number).toBe('WEB42');
    expect(newCustomerFor(testOrder({ customer: { guest: true } }), template, { mode: 'shopCustomerId', prefix: 'WEB' }).number).toBeUndefined();
    expect(newCustomerFor(testOrder({ customer: { guest: false, shopCustomerId: '1'.repeat(20) } }), template, { mode: 'shopCustomerId', prefix: 'WEB' }).number).toBeUndefined();
  });

  it('a Company template uses the company name', () => {
    const c = newCustomerFor(testOrder({ billing: { company: 'Muster GmbH', firstName: 'Anna' } }), { ...template, type: 'Company' }, { mode: 'series', prefix: 'WEB' });
    expect(c).toMatchObject({ displayName: 'Muster GmbH', type: 'Company' });
  });
});
