import type { Clock } from '../../domain/clock.js';
import type { RequestLogSink } from '../../http/request-log.js';
import type { ShopConnector } from '../connector.js';
import { isObject, type JsonObject } from '../json-fields.js';
import { ShopifyClient } from './client.js';
import type { ShopifyShopConfig } from './config.js';
import { QueryCostError } from './errors.js';
import { getOrderQuery, listOrdersQuery, moreLinesQuery, SHOP_QUERY } from './queries.js';
import { identify, toOrder } from './to-order.js';
import { createShopifyWebhooks } from './webhook.js';
import { shopifyRecordBcNumber, shopifyWriteBack } from './write-back.js';

export interface ShopifyConnectorDeps {
  clock: Clock;
  requestLog: RequestLogSink;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type ShopifyConnector = ShopConnector & { readonly client: ShopifyClient };

interface Connection {
  nodes?: unknown[];
  pageInfo?: { hasNextPage?: boolean; endCursor?: string | null };
}

/**
 * Shopify over the GraphQL Admin API (REST is legacy since 2024-10). The poll lists `orders` with
 * `query: "updated_at:>='…'"` and `sortKey: UPDATED_AT`, following `pageInfo.endCursor`; the cursor
 * pagination is keyset-like, so an order changed during the listing moves to the end instead of
 * shifting others out of a page. Pages shrink when Shopify says one would cost too much. Orders with
 * more line items than one page holds are completed before they are yielded.
 */
export function createShopifyConnector(config: Omit<ShopifyShopConfig, 'rules' | 'mapping' | 'platform'> & { platform?: 'shopify' }, deps: ShopifyConnectorDeps): ShopifyConnector {
  const client = new ShopifyClient(
    {
      shopCode: config.code,
      url: config.url,
      accessToken: config.accessToken,
      apiVersion: config.apiVersion,
      timeoutMs: config.timeoutMs,
      maxThrottleWaitMs: config.maxThrottleWaitMs,
    },
    deps,
  );
  const mode = config.currency;
  let pageSize = config.pageSize;

  async function complete(order: JsonObject, signal?: AbortSignal): Promise<JsonObject> {
    for (const key of ['lineItems', 'shippingLines'] as const) {
      let conn = order[key] as Connection | undefined;
      if (!conn?.pageInfo?.hasNextPage) continue;
      const nodes = [...(conn.nodes ?? [])];
      while (conn?.pageInfo?.hasNextPage) {
        const data = await client.graphql<{ order: JsonObject | null }>(`More${key}`, moreLinesQuery(mode, key), { id: order.id, after: conn.pageInfo.endCursor }, { signal });
        conn = data.order?.[key] as Connection | undefined;
        nodes.push(...(conn?.nodes ?? []));
      }
      order[key] = { nodes, pageInfo: { hasNextPage: false, endCursor: null } };
    }
    return order;
  }

  const connector: ShopifyConnector = {
    platform: 'shopify',
    capabilities: {
      webhooks: true,
      cursorField: 'updated_at',
      // updated_at has whole seconds.
      cursorResolutionMs: 1000,
    },
    client,
    async *listChangedOrders(since, signal) {
      const from = since ?? config.startDate;
      const query = from ? `updated_at:>='${new Date(Date.parse(from)).toISOString()}'` : undefined;
      let after: string | null | undefined;
      for (;;) {
        let page: { orders: Connection };
        try {
          page = await client.graphql<{ orders: Connection }>('ListOrders', listOrdersQuery(mode), { first: pageSize, after: after ?? null, query: query ?? null }, { signal });
        } catch (err) {
          if (err instanceof QueryCostError && pageSize > 1 && Number.isFinite(err.cost) && err.cost > 0) {
            // Cost grows with the page size: ask for as many orders as fit, with a little headroom.
            pageSize = Math.max(1, Math.min(pageSize - 1, Math.floor((pageSize * err.maxCost * 0.95) / err.cost)));
            continue;
          }
          throw err;
        }
        const nodes = (page.orders.nodes ?? []).filter(isObject);
        const done: unknown[] = [];
        for (const n of nodes) done.push(await complete(n, signal));
        if (done.length > 0) yield done;
        if (!page.orders.pageInfo?.hasNextPage) return;
        after = page.orders.pageInfo.endCursor;
        if (!after) return;
      }
    },
    async getOrder(shopOrderId) {
      if (!/^\d{1,20}$/.test(shopOrderId)) return undefined;
      const data = await client.graphql<{ order: JsonObject | null }>('GetOrder', getOrderQuery(mode), { id: `gid://shopify/Order/${shopOrderId}` });
      return data.order ? complete(data.order) : undefined;
    },
    identify,
    toOrder: (raw) => toOrder(raw, { currency: mode }),
    async ping() {
      const data = await client.graphql<{ shop: { name?: string; myshopifyDomain?: string; currencyCode?: string } }>('ShopInfo', SHOP_QUERY);
      return { detail: `Shopify Admin API ${config.apiVersion} reachable: ${data.shop.name ?? '?'} (${data.shop.myshopifyDomain ?? '?'}, ${data.shop.currencyCode ?? '?'})` };
    },
    close: () => client.close(),
    webhook: createShopifyWebhooks(config, client, (id) => connector.getOrder(id)),
    // Fulfillments with tracking, and the BC order no. as a metafield (docs/write-back.md "Shopify").
    writeBack: (wb, signal) => shopifyWriteBack(client, wb, signal),
    recordBcNumber: (rec, signal) => shopifyRecordBcNumber(client, rec, signal),
  };
  return connector;
}
