import { hold, type HoldReason } from '../hold.js';

/**
 * Every reason the rules can give for holding, waiting or ignoring an order (DESIGN.md guarantee 4): a stable
 * code to filter on (`bcbridge orders list --reason CODE`), a sentence that names the offending value, and a
 * fix that names the setting or the BC record to change. Config paths are passed in as `at`
 * (e.g. `shops[0].mapping`) so the hint points at the exact place in the user's file.
 */
export const REASON_CODES = [
  // eligibility
  'NOT_ELIGIBLE_YET', 'IGNORED_STATUS', 'CHECKS_EXHAUSTED', 'WAIT_EXPIRED', 'GUEST_NOT_EXPORTED',
  // customer
  'NO_GUEST_CUSTOMER', 'NO_CUSTOMER_MATCH', 'CUSTOMER_NOT_IN_BC', 'CUSTOMER_BLOCKED', 'CUSTOMER_AMBIGUOUS',
  'NO_CUSTOMER_TEMPLATE', 'CUSTOMER_CREATE_REJECTED',
  // items
  'MISSING_SKU', 'UNKNOWN_SKU', 'ITEM_BLOCKED', 'ITEM_AMBIGUOUS', 'VARIANT_NOT_IN_BC',
  // lines
  'NO_FREIGHT_TARGET', 'NO_FEE_TARGET', 'NO_SHIPMENT_METHOD', 'SHIPMENT_METHOD_NOT_IN_BC', 'LOCATION_NOT_IN_BC',
  'DIMENSION_VALUE_INVALID', 'DIMENSION_VALUE_NOT_IN_BC', 'OPTION_VALUE_INVALID', 'BAD_QUANTITY',
  // transport
  'LOOKUP_NOT_SUPPORTED', 'BC_PAGE_NOT_PUBLISHED',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const reasons = {
  // --- customer ---
  noGuestCustomer: (orderNumber: string, at: string) =>
    hold('NO_GUEST_CUSTOMER', `Order ${orderNumber} is a guest order and no BC customer was found for it.`, `Set ${at}.guestCustomerNo to the BC customer that takes web guest orders, or add "create" to ${at}.customerChain.`),
  noCustomerMatch: (who: string, at: string) =>
    hold('NO_CUSTOMER_MATCH', `Shop customer ${who} has no BC customer.`, `Map the customer in ${at}.customerMap, set ${at}.defaultCustomerNo, or add "email"/"create" to ${at}.customerChain.`),
  customerNotInBc: (number: string, setting: string) =>
    hold('CUSTOMER_NOT_IN_BC', `BC customer ${number} (from ${setting}) does not exist.`, `Create customer ${number} in BC or change ${setting} to an existing customer no.`),
  customerBlocked: (number: string, name: string, blocked: string, via: string) =>
    hold('CUSTOMER_BLOCKED', `BC customer ${number} (${name}) is blocked (${blocked})${via}.`, `Unblock customer ${number} in BC, then retry the order.`),
  customerAmbiguous: (field: 'e-mail' | 'phone', value: string, numbers: string[], at: string) =>
    hold('CUSTOMER_AMBIGUOUS', `The ${field} ${value} matches several BC customers: ${numbers.join(' and ')}.`, `Keep the ${field} on one of them only, or map the shop customer in ${at}.customerMap.`),
  noCustomerTemplate: (country: string | undefined, at: string) =>
    hold('NO_CUSTOMER_TEMPLATE', country ? `No customer template is set for billing country ${country}, so no BC customer can be created.` : 'The order has no billing country, so no customer template can be chosen.', `Add ${country ?? '"*"'} (or "*") to ${at}.customerTemplates.`),
  customerCreateRejected: (message: string, template: string) =>
    hold('CUSTOMER_CREATE_REJECTED', `BC refused to create the customer from template ${template}: ${message}`, 'Fix the template fields the message names (payment terms, shipment method …) in the config or BC, then retry.'),

  // --- items ---
  missingSku: (lineName: string) =>
    hold('MISSING_SKU', `Line "${lineName}" has no SKU, so it cannot be matched to a BC item.`, 'Give the product a SKU in the shop equal to its BC item no.'),
  unknownSku: (sku: string, detail: string, at: string) =>
    hold('UNKNOWN_SKU', `SKU ${sku} has no BC item${detail}.`, `Add the item in BC, or map the SKU in ${at}.skuMap.`),
  itemBlocked: (number: string, name: string, sku: string, at: string) =>
    hold('ITEM_BLOCKED', `BC item ${number} (${name}) is blocked for sales.`, `Unblock item ${number} in BC or map SKU ${sku} to another item in ${at}.skuMap.`),
  itemAmbiguous: (gtin: string, numbers: string[], at: string) =>
    hold('ITEM_AMBIGUOUS', `GTIN ${gtin} belongs to several BC items: ${numbers.join(' and ')}.`, `Keep the GTIN on one item only in BC, or map the SKU in ${at}.skuMap.`),
  variantNotInBc: (item: string, variant: string, source: string) =>
    hold('VARIANT_NOT_IN_BC', `BC item ${item} has no variant ${variant} (${source}).`, `Add variant ${variant} to item ${item} in BC (Item Variants), or correct ${source}.`),

  // --- lines ---
  noFreightTarget: (orderNumber: string, at: string) =>
    hold('NO_FREIGHT_TARGET', `Order ${orderNumber} has shipping costs but no freight line is configured.`, `Set ${at}.freight (type and no.), e.g. a G/L account for freight income.`),
  noFeeTarget: (orderNumber: string, fee: string, at: string) =>
    hold('NO_FEE_TARGET', `Order ${orderNumber} has the fee "${fee}" but no fee line is configured for it.`, `Set ${at}.fees (type and no.) or ${at}.feesByName["${fee}"].`),
  noShipmentMethod: (method: string, at: string) =>
    hold('NO_SHIPMENT_METHOD', `Shipping method "${method}" has no BC shipment method.`, `Map it in ${at}.shipmentMethods, or set ${at}.requireShipmentMethod to false.`),
  shipmentMethodNotInBc: (code: string, at: string) =>
    hold('SHIPMENT_METHOD_NOT_IN_BC', `Shipment method ${code} does not exist in BC.`, `Create shipment method ${code} in BC or change ${at}.shipmentMethods.`),
  locationNotInBc: (code: string, setting: string) =>
    hold('LOCATION_NOT_IN_BC', `Location ${code} does not exist in BC.`, `Create location ${code} in BC or change ${setting}.`),
  dimensionValueInvalid: (dimension: string, value: string, source: string) =>
    hold('DIMENSION_VALUE_INVALID', `"${value}" cannot be a value of dimension ${dimension}: BC dimension value codes have at most 20 characters.`, `Shorten the option value in the shop, or map ${source} to another mode.`),
  dimensionValueNotInBc: (dimension: string, value: string, source: string) =>
    hold('DIMENSION_VALUE_NOT_IN_BC', `Dimension ${dimension} has no value ${value} in BC (${source}).`, `Add value ${value} to dimension ${dimension} in BC, or change ${source}.`),
  optionValueInvalid: (label: string, value: string, field: string, max: number) =>
    hold('OPTION_VALUE_INVALID', `Option "${label}: ${value}" cannot go into ${field}: BC allows at most ${max} characters.`, 'Shorten the option value in the shop or choose another options.mode.'),
  badQuantity: (orderNumber: string) =>
    hold('BAD_QUANTITY', `Order ${orderNumber} has a line with quantity 0 or less.`, 'Correct the order in the shop.'),

  // --- transport ---
  lookupNotSupported: (what: string, setting: string) =>
    hold('LOOKUP_NOT_SUPPORTED', `The BC transport in use cannot ${what}.`, `Use transport "api" for this environment, or remove it from ${setting}.`),
  pageNotPublished: (detail: string) =>
    hold('BC_PAGE_NOT_PUBLISHED', `BC has no web service for a lookup this order needs: ${detail.replace(/[.\s]+$/, '')}.`, 'Publish the page on BC\'s Web Services page (or change bc.<env>.soapPages), then retry the order.'),
} satisfies Record<string, (...args: never[]) => HoldReason>;
