import type { ShopConnector } from '../connector.js';
import type { ConnectorDeps } from '../registry.js';
import { BigCommerceClient } from './client.js';
import type { BigCommerceShopConfig } from './config.js';
import { identify, toOrder } from './to-order.js';
import { createBigCommerceWebhooks } from './webhooks.js';
import { bigCommerceRecordBcNumber, bigCommerceWriteBack } from './write-back.js';

/** The connector plus its client (tests and doctor reach the raw API through it). */
export type BigCommerceConnector = ShopConnector & { readonly client: BigCommerceClient };

type ConnectorConfig = Pick<BigCommerceShopConfig, 'code' | 'storeHash' | 'accessToken'> &
  Partial<Pick<BigCommerceShopConfig, 'apiUrl' | 'pageSize' | 'timeoutMs' | 'fetchTaxes' | 'startDate' | 'webhookClientSecret' | 'webhookHeaderSecret'>>;

export function createBigCommerceConnector(config: ConnectorConfig, deps: ConnectorDeps): BigCommerceConnector {
  const client = new BigCommerceClient(
    {
      shopCode: config.code,
      storeHash: config.storeHash,
      accessToken: config.accessToken,
      apiUrl: config.apiUrl,
      timeoutMs: config.timeoutMs,
      fetchTaxes: config.fetchTaxes,
    },
    deps,
  );
  return {
    platform: 'bigcommerce',
    capabilities: {
      // BigCommerce pushes store/order/* events; they carry only the id (webhook.ts), so each is a getOrder.
      webhooks: true,
      cursorField: 'date_modified',
      // RFC 2822 dates have whole seconds.
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
    webhook: createBigCommerceWebhooks(client, { clientSecret: config.webhookClientSecret, headerSecret: config.webhookHeaderSecret }, deps.clock),
    writeBack: (wb, signal) => bigCommerceWriteBack(client, wb, signal),
    recordBcNumber: (rec, signal) => bigCommerceRecordBcNumber(client, rec, signal),
  };
}
