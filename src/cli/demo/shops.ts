import type { SimEndpoints } from '../sim-process.js';

/**
 * How the demo connects to each platform's simulator: the shop entry of the demo config and the body
 * that asks the simulator for N exportable orders. Adding a platform adds one entry here.
 */
export interface DemoShop {
  shop(sim: SimEndpoints): Record<string, unknown>;
  generateBody(n: number): Record<string, unknown>;
  /**
   * `bcbridge map` without a config file maps against this shop entry (its credentials are never used);
   * these rules let it show the document for any order that is not cancelled, paid or not.
   */
  offlineRules?: Record<string, unknown>;
  /** The simulator delivers signed webhooks to subscriptions made through its API (`demo --webhooks`). */
  webhooks?: boolean;
}

const mapping = {
  guestCustomerNo: 'WEB-GUEST',
  defaultCustomerNo: 'WEB-GUEST',
  freight: { type: 'Account', no: '6810', description: 'Shipping' },
  fees: { type: 'Account', no: '6820' },
  localCurrency: 'EUR',
};

export const DEMO_SHOPS: Record<string, DemoShop> = {
  woocommerce: {
    shop: (sim) => ({
      code: 'demo-woo',
      platform: 'woocommerce',
      url: sim.shops.woocommerce.url,
      consumerKey: 'ck_demo',
      consumerSecret: 'cs_demo',
      // bcbridge gives WooCommerce this secret when it registers the webhooks; WooCommerce signs with it.
      webhookSecret: 'demo-woo-webhook-secret',
      orderKeyPrefix: 'WOO-',
      rules: { exportStatuses: ['processing', 'completed'], requirePaid: true },
      mapping,
    }),
    generateBody: (n) => ({ n, unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] }),
    offlineRules: { exportStatuses: ['processing', 'completed', 'on-hold', 'pending'], requirePaid: false },
    webhooks: true,
  },
  bigcommerce: {
    shop: (sim) => ({
      code: 'demo-bigcommerce',
      platform: 'bigcommerce',
      apiUrl: sim.shops.bigcommerce.url,
      storeHash: 'demo1234',
      accessToken: 'bc_demo_token',
      orderKeyPrefix: 'BIG-',
      mapping,
    }),
    generateBody: (n) => ({ n, unpaidShare: 0, unknownSkuShare: 0, refundShare: 0, statuses: ['awaiting-fulfillment'] }),
    offlineRules: {
      exportStatuses: ['awaiting-fulfillment', 'awaiting-shipment', 'awaiting-pickup', 'partially-shipped', 'shipped', 'completed', 'awaiting-payment', 'pending', 'manual-verification-required'],
      requirePaid: false,
    },
  },
  magento: {
    shop: (sim) => ({
      code: 'demo-magento',
      platform: 'magento',
      url: sim.shops.magento.url,
      // The simulator's demo integration (public values, like the WooCommerce demo keys); 2.4.4+ needs OAuth 1.0a.
      consumerKey: 'mg0demo0consumer0key000000000001',
      consumerSecret: 'mg0demo0consumer0secret000000001',
      accessToken: 'mg0demo0access0token000000000001',
      accessTokenSecret: 'mg0demo0access0token0secret00001',
      orderKeyPrefix: 'MAG-',
      // Magento bundles with dynamic price carry their money on the parts.
      mapping: { ...mapping, bundles: 'children' },
    }),
    generateBody: (n) => ({ n, unpaidShare: 0, unknownSkuShare: 0, refundShare: 0, statuses: ['processing'] }),
    offlineRules: { exportStatuses: ['processing', 'complete', 'pending', 'holded', 'pending_payment'], requirePaid: false },
  },
  shopify: {
    shop: (sim) => ({
      code: 'demo-shopify',
      platform: 'shopify',
      url: sim.shops.shopify.url,
      // The simulator's public demo app: its Admin API token, and the client secret webhooks are signed with.
      accessToken: 'shpat_demo',
      webhookSecret: 'shpss_demo',
      shopDomain: 'bcbridge-demo.myshopify.com',
      orderKeyPrefix: 'SHOP-',
      mapping,
    }),
    generateBody: (n) => ({ n, unknownSkuShare: 0, cancelledShare: 0, financialStatuses: ['paid'] }),
    offlineRules: { exportStatuses: ['paid', 'partially_refunded', 'pending', 'authorized', 'partially_paid'], requirePaid: false },
    webhooks: true,
  },
};
