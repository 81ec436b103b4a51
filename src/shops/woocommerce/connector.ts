import type { Clock } from '../../domain/clock.js';
import type { RequestLogSink } from '../../http/request-log.js';
import type { ShopConnector } from '../connector.js';
import { WooClient } from './client.js';
import type { OAuth1SignatureMethod } from './oauth1.js';
import { identify, toOrder } from './to-order.js';
import { createWooWebhooks } from './webhook.js';
import { wooRecordBcNumber } from './bc-number.js';
import { wooWriteBack } from './write-back.js';

/** One WooCommerce shop as configured (the config schema produces this). */
export interface WooCommerceShopConfig {
  code: string;
  /** Site address as WordPress knows it (scheme, www or not): OAuth 1.0a signs it exactly. */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  /** 'auto' (default): HTTP Basic over https, OAuth 1.0a over http. */
  authMode?: 'auto' | 'basic' | 'oauth1';
  /** OAuth 1.0a only. Default HMAC-SHA256. */
  signatureMethod?: OAuth1SignatureMethod;
  /** Orders per page, ≤ 100. Default 100. */
  pageSize?: number;
  /** Per request. Default 30000. */
  timeoutMs?: number;
  /** ISO 8601: where the first pull starts when there is no cursor yet. */
  startDate?: string;
  /** Secret WooCommerce signs webhooks with (docs/webhooks.md). */
  webhookSecret?: string;
}

export interface WooCommerceConnectorDeps {
  clock: Clock;
  requestLog: RequestLogSink;
}

/** The connector plus `close()`, which releases its HTTP connections (the interface has no lifecycle yet). */
export type WooCommerceConnector = ShopConnector & { readonly client: WooClient; close(): Promise<void> };

export function createWooCommerceConnector(config: WooCommerceShopConfig, deps: WooCommerceConnectorDeps): WooCommerceConnector {
  const client = new WooClient(
    {
      shopCode: config.code,
      url: config.url,
      consumerKey: config.consumerKey,
      consumerSecret: config.consumerSecret,
      authMode: config.authMode,
      signatureMethod: config.signatureMethod,
      timeoutMs: config.timeoutMs,
    },
    deps,
  );
  return {
    platform: 'woocommerce',
    capabilities: {
      webhooks: true,
      cursorField: 'date_modified_gmt',
      // date_modified_gmt has whole seconds.
      cursorResolutionMs: 1000,
    },
    client,
    listChangedOrders(since, signal) {
      return client.listOrders({ modifiedSince: since ?? config.startDate, pageSize: config.pageSize ?? 100, signal });
    },
    getOrder: (shopOrderId) => client.getOrder(shopOrderId),
    identify,
    toOrder,
    ping: () => client.ping(),
    close: () => client.close(),
    webhook: createWooWebhooks({ code: config.code, webhookSecret: config.webhookSecret }, client),
    writeBack: (wb, signal) => wooWriteBack(client, wb, signal),
    recordBcNumber: (rec, signal) => wooRecordBcNumber(client, rec, signal),
  };
}
