import { ShopError } from '../../domain/errors.js';
import type { ShopWriteBack } from '../connector.js';

/**
 * Carrier name → BigCommerce `tracking_carrier`. BigCommerce takes an AfterShip courier slug there
 * (orders.v2.oas2.yml, Create Order Shipment: "one of the valid tracking-carrier values") and builds the
 * customer's tracking link from it. A name that is one of these slugs is used as it is ("dhl" is DHL Express,
 * "hermes" is Evri in the UK: AfterShip's meaning); otherwise the name is compared without case, spaces or
 * punctuation with the usual names of BC shipping agents ("DHL Paket", "Hermes Germany", "Royal Mail").
 */
const SLUGS = new Set([
  'dhl', 'dhl-germany', 'deutsch-post', 'dpd', 'dpd-de', 'dpd-uk', 'gls', 'hermes', 'hermes-de', 'ups', 'fedex', 'usps', 'tnt',
  'royal-mail', 'parcel-force', 'austrian-post', 'swiss-post', 'bpost', 'colissimo', 'chronopost-france', 'poste-italiane',
  'brt-it', 'postnord', 'canada-post', 'australia-post',
]);
const ALIASES: Record<string, string> = {
  dhlexpress: 'dhl', dhlpaket: 'dhl-germany', dhlgermany: 'dhl-germany', dhlde: 'dhl-germany', deutschepostdhl: 'dhl-germany',
  deutschepost: 'deutsch-post', dpdgermany: 'dpd-de', hermesgermany: 'hermes-de', evri: 'hermes', royalmail: 'royal-mail',
  parcelforce: 'parcel-force', austrianpost: 'austrian-post', postat: 'austrian-post', osterreichischepost: 'austrian-post',
  swisspost: 'swiss-post', postch: 'swiss-post', chronopost: 'chronopost-france', posteitaliane: 'poste-italiane',
  brt: 'brt-it', bartolini: 'brt-it', canadapost: 'canada-post', australiapost: 'australia-post', auspost: 'australia-post',
};

/** BigCommerce's own limits on a shipment (orderShipment_Post). */
const MAX_TRACKING_NUMBER = 50;
const MAX_TRACKING_LINK = 500;

/** The tracking part of a POST /v2/orders/{id}/shipments body. */
export interface ShipmentTrackingFields {
  tracking_number?: string;
  tracking_carrier?: string;
  shipping_provider?: string;
  shipping_method?: string;
  tracking_link?: string;
}

export function trackingCarrierFor(name: string): string | undefined {
  const lower = name.trim().toLowerCase();
  if (SLUGS.has(lower)) return lower;
  const key = lower.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]/g, '');
  return ALIASES[key] ?? [...SLUGS].find((slug) => slug.replace(/-/g, '') === key);
}

/**
 * How BigCommerce gets the tracking of one shipment:
 * - a carrier BigCommerce knows → `tracking_carrier` (its link to the carrier or AfterShip);
 * - `carrier_{id}` (a third-party shipping provider app of the store) → `shipping_provider`;
 * - any other carrier → free text in `shipping_method`, `shipping_provider` left empty.
 * The carrier name always goes into `shipping_method` as well (the docs ask it to correspond to the carrier).
 * A configured tracking link is sent as `tracking_link`, which BigCommerce shows instead of its own.
 */
export function trackingFields(tracking: ShopWriteBack['tracking'], orderNumber: string): ShipmentTrackingFields {
  if (!tracking) return {};
  const number = tracking.number.trim();
  if (number.length > MAX_TRACKING_NUMBER) {
    throw new ShopError(
      'SHOP_WRITEBACK_INVALID',
      `tracking no. "${number.slice(0, 20)}…" of shop order ${orderNumber} has ${number.length} characters; BigCommerce takes at most ${MAX_TRACKING_NUMBER}`,
    );
  }
  const out: ShipmentTrackingFields = { tracking_number: number };
  const carrier = tracking.carrier?.trim();
  if (carrier) {
    const slug = trackingCarrierFor(carrier);
    if (slug) out.tracking_carrier = slug;
    else if (/^carrier_\w+$/.test(carrier)) out.shipping_provider = carrier;
    else out.shipping_provider = '';
    out.shipping_method = carrier;
  }
  // A link too long for BigCommerce is left out: its own generated link is better than a cut one.
  if (tracking.url && tracking.url.length <= MAX_TRACKING_LINK) out.tracking_link = tracking.url;
  return out;
}
