/**
 * Test support: the WooCommerce files in reference/samples that hold orders, for the connector's mapping
 * test and the rules test on top of it. Paths are below reference/samples/.
 */

/** How each sample file holds its orders: the elements below are the wire documents, as the API sent them. */
export const WOO_ORDER_SAMPLES: Record<string, (doc: any) => unknown[]> = {
  'woocommerce/wc-v3-order-727-get-response.json': (d) => [d],
  'woocommerce/wc-v3-order-727-update-response.json': (d) => [d],
  'woocommerce/wc-v3-orders-list-response.json': (d) => d,
  'woocommerce/wc-v3-orders-batch-response.json': (d) => [...d.create, ...d.update, ...d.delete],
  // Jetpack/WP.com tunnel: the single order keeps its wrapper (toOrder must unwrap it); the list is unwrapped here.
  'woocommerce/fluxc-wc-v2-order-88-guest-jetpack-wrapped.json': (d) => [d],
  'woocommerce/fluxc-wc-orders-fee-coupon-lines-fields-subset-jetpack-wrapped.json': (d) => d.data,
  'recorded/woocommerce-11.0.1-order-restapi-created-coupon-AT.json': (d) => [d],
  'recorded/woocommerce-11.0.1-order-storeapi-bacs-completed.json': (d) => [d],
  'recorded/woocommerce-11.0.1-order-storeapi-cod-partially-refunded.json': (d) => [d],
  'recorded/woocommerce-11.0.1-orders-list.json': (d) => d,
  // The recorder stored headers beside the delivered body; the body is the order.
  'recorded/woocommerce-11.0.1-webhook-order.updated.json': (d) => [d.body],
};
