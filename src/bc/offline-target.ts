import type { BcTarget } from './target.js';

/**
 * A BC target for `bcbridge map --offline`: every customer, item, variant, shipment method, location and
 * dimension value asked for by its code exists and is not blocked; searches (e-mail, phone, GTIN) find
 * nothing; nothing can be created. Used only where the user asked not to contact BC.
 */
export function offlineTarget(): BcTarget {
  const refuse = async (): Promise<never> => {
    throw new Error('offline: BC is not contacted');
  };
  const byCode = async (code: string) => ({ id: '', code: code.trim().toUpperCase() });
  return {
    transport: 'api',
    environment: 'offline',
    findExisting: async () => new Map(),
    create: refuse,
    read: refuse,
    checkCompany: refuse,
    getCustomer: async (number) => ({ id: '', number: number.toUpperCase(), displayName: number, blocked: '' }),
    getItem: async (number) => ({ id: '', number: number.toUpperCase(), displayName: number, blocked: false }),
    findCustomersByEmail: async () => [],
    findCustomersByPhoneDigits: async () => [],
    createCustomer: refuse,
    findItemsByGtin: async () => [],
    getItemVariant: async (_item, code) => byCode(code),
    getShipmentMethod: byCode,
    getLocation: byCode,
    getDimensionValue: async (_dimension, value) => byCode(value),
    close: async () => {},
  };
}
