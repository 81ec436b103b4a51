import type { ShopConnector } from '../connector.js';
import type { ConnectorDeps } from '../registry.js';
import { MagentoClient, type MagentoClientConfig } from './client.js';
import type { MagentoShopConfig } from './config.js';
import { identify, toOrder } from './to-order.js';
import { magentoRecordBcNumber, magentoWriteBack } from './write-back.js';

export type MagentoConnector = ShopConnector & { readonly client: MagentoClient };

type ConnectorConfig = Pick<MagentoShopConfig, 'code' | 'url' | 'accessToken'> &
  Partial<Pick<MagentoShopConfig, 'storeCode' | 'authMode' | 'consumerKey' | 'consumerSecret' | 'accessTokenSecret' | 'signatureMethod' | 'pageSize' | 'timeoutMs' | 'startDate' | 'msiSources'>>;

/** Which authentication the config asks for ('auto': OAuth 1.0a when all four integration values are there). */
export function magentoAuth(config: ConnectorConfig): MagentoClientConfig['auth'] {
  const { consumerKey, consumerSecret, accessTokenSecret } = config;
  const complete = consumerKey && consumerSecret && accessTokenSecret;
  const mode = config.authMode ?? 'auto';
  if (mode === 'oauth1' || (mode === 'auto' && complete)) {
    return {
      mode: 'oauth1', consumerKey: consumerKey ?? '', consumerSecret: consumerSecret ?? '', accessToken: config.accessToken,
      accessTokenSecret: accessTokenSecret ?? '', signatureMethod: config.signatureMethod ?? 'HMAC-SHA256',
    };
  }
  return { mode: 'bearer', accessToken: config.accessToken };
}

export function createMagentoConnector(config: ConnectorConfig, deps: ConnectorDeps): MagentoConnector {
  const client = new MagentoClient(
    { shopCode: config.code, url: config.url, storeCode: config.storeCode, auth: magentoAuth(config), timeoutMs: config.timeoutMs },
    deps,
  );
  return {
    platform: 'magento',
    capabilities: {
      // Magento Open Source sends no webhooks: the poll with its overlap window is the only intake.
      webhooks: false,
      cursorField: 'updated_at',
      cursorResolutionMs: 1000,
    },
    client,
    listChangedOrders(since, signal) {
      return client.listOrders({ updatedSince: since ?? config.startDate, pageSize: config.pageSize ?? 100, signal });
    },
    getOrder: (shopOrderId) => client.getOrder(shopOrderId),
    identify,
    toOrder,
    ping: () => client.ping(),
    close: () => client.close(),
    writeBack: (wb, signal) => magentoWriteBack(client, wb, signal, config.msiSources),
    recordBcNumber: (rec, signal) => magentoRecordBcNumber(client, rec, signal),
  };
}
