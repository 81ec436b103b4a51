import type { CanonicalOrder } from '../domain/order.js';

/**
 * What every platform provides (DESIGN.md §3). Core code talks to shops only through this interface;
 * platform differences are declared as capabilities, never tested by platform name.
 */
export interface ConnectorCapabilities {
  /** The shop can push order events to us. */
  webhooks: boolean;
  /** The raw-order field the poll cursor follows (for docs and `doctor`). */
  cursorField: string;
  /** Finest resolution of the shop's modification time, in ms: several orders may share one tick, hence the overlap window. */
  cursorResolutionMs: number;
}

/** Identity of a raw order, read without full mapping, so even a malformed order can be stored and held. */
export interface RawOrderIdentity {
  shopOrderId: string;
  orderNumber?: string;
  /** ISO 8601 UTC. */
  modifiedAt?: string;
}

export interface ShopConnector {
  readonly platform: string;
  readonly capabilities: ConnectorCapabilities;
  /**
   * Raw orders modified at or after `since` (ISO 8601 UTC; undefined = from the beginning, or the shop's
   * configured start date), oldest modification first, one array per page as the platform pages.
   */
  listChangedOrders(since: string | undefined, signal?: AbortSignal): AsyncIterable<unknown[]>;
  /** One raw order by the shop's id, or undefined when the shop does not have it. */
  getOrder(shopOrderId: string): Promise<unknown | undefined>;
  /** Reads id, number and modification time of a raw order; undefined when not even those can be read. */
  identify(raw: unknown): RawOrderIdentity | undefined;
  /** Raw → canonical. Throws ValidationError with a readable message when the document cannot be an order. */
  toOrder(raw: unknown): CanonicalOrder;
  /** Proves that the URL and credentials work (doctor). Throws ShopError otherwise. */
  ping(): Promise<{ detail: string }>;
  /** Releases connections. */
  close(): Promise<void>;
  /**
   * Push delivery (docs/webhooks.md). Optional: a connector without it is polled only, and
   * `POST /webhooks/<shop>` answers 404 for its shops. Present exactly when `capabilities.webhooks` is true.
   */
  webhook?: ConnectorWebhooks;
  /**
   * Tells the shop about one BC shipment (docs/write-back.md). Optional: a connector without it never writes
   * back. Must be idempotent: called again for the same shipment (a retry after a partial failure), it
   * creates nothing the shop already has.
   */
  writeBack?(wb: ShopWriteBack, signal?: AbortSignal): Promise<ShopWriteBackResult>;
  /**
   * Puts the BC sales order no. on the shop order (an order note, metafield or comment, as the platform
   * allows) once the order is verified (config `writeBack.bcNumberOnOrder`). Optional. Idempotent: when the
   * shop order already shows this number, nothing is written. The shop's modification time moves; the
   * conflict check compares business content only, so this never comes back as a "changed" order.
   */
  recordBcNumber?(rec: ShopBcNumber, signal?: AbortSignal): Promise<ShopWriteBackResult>;
}

/** The BC document number to show on a shop order. */
export interface ShopBcNumber {
  shopOrderId: string;
  orderNumber: string;
  bcOrderNumber: string;
  /** Rendered text for platforms that store a note/comment ("BC sales order S-ORD101001"). */
  note: string;
}

/** One BC shipment to report to the shop, prepared by the write-back stage. */
export interface ShopWriteBack {
  shopOrderId: string;
  orderNumber: string;
  /** BC posted shipment no.: identifies this write-back. */
  shipmentNo: string;
  bcOrderNumber: string;
  /** Shop lines in this shipment and the quantity shipped of each (decimal strings). */
  lines: { shopLineId: string; quantity: string; sku?: string; name?: string }[];
  tracking?: { number: string; carrier?: string; url?: string };
  /** Every line of the order is shipped once this shipment is reported: the shop order is completed. */
  complete: boolean;
  /** Shop status for a complete order (WooCommerce: completed). */
  completeStatus: string;
  /** The rendered order note for this shipment. */
  note: string;
  customerNote: boolean;
  /** `extension`: also send the tracking through the platform's tracking API where it has one. */
  trackingMode: 'note' | 'extension';
  /** The BC location code the order was created with (its sales order's), when it has one: Magento picks its MSI source by it. */
  locationCode?: string;
}

export interface ShopWriteBackResult {
  /** What was done, for the order's timeline (e.g. "note added, tracking added, status completed"). */
  detail: string;
}

/**
 * Webhooks, the same way for every platform (issue 5). The receiver (src/server/webhooks) owns HTTP: body
 * size limit, 401 and 2xx, storing the event before answering, dedupe on `deliveryId`. The connector owns
 * what is platform specific: which header carries the signature and how it is computed, which header names
 * the delivery, what a topic means, and the shop's subscription API.
 *
 * Flow: `verify` (synchronous, no I/O, before anything is stored) → the receiver stores the event and
 * answers 2xx → later, asynchronously, `interpret` turns the stored body into raw orders for intake, where
 * the newest shop modification wins, so duplicate and out-of-order deliveries converge.
 */
export interface ConnectorWebhooks {
  /** Topics `bcbridge webhooks register` subscribes to, in the platform's own spelling (`orders/create`, `order.updated`). */
  readonly topics: readonly string[];
  /**
   * Checks the signature over the raw body bytes with a timing-safe compare (see webhook-hmac.ts) and
   * classifies the delivery. Never throws; never parses JSON before the signature matched.
   */
  verify(rawBody: Buffer, headers: WebhookHeaders): WebhookVerdict;
  /**
   * What a stored, verified delivery asks of intake. May call the shop (a deletion carries only an id, so
   * the order is read again). Throws only for transient failures (shop unreachable): the event is retried.
   */
  interpret(delivery: StoredWebhook, signal?: AbortSignal): Promise<WebhookIntent>;
  /** The shop's subscriptions (all of them; callers filter by address). */
  list(): Promise<WebhookSubscription[]>;
  /**
   * Subscribes `address` to every topic in `topics` that is not subscribed yet (idempotent: running it
   * twice creates nothing the second time; a subscription the shop disabled is switched on again).
   */
  register(address: string): Promise<{ subscription: WebhookSubscription; action: 'created' | 'exists' | 'reactivated' }[]>;
  /** Deletes one subscription by the id `list` reported. */
  remove(id: string): Promise<void>;
}

/** Request headers as received, names in lower case. */
export type WebhookHeaders = Readonly<Record<string, string | undefined>>;

/** The receiver's decision for one delivery, made by the connector before anything is stored. */
export type WebhookVerdict =
  /** Signed by the shop: store it (once per `deliveryId`), answer 2xx, process it later. */
  | { kind: 'event'; deliveryId: string; topic: string; shopOrderId?: string }
  /** The platform's unsigned handshake (WooCommerce's form-encoded `webhook_id=N`): answer 200, store nothing. */
  | { kind: 'ping'; detail: string }
  /** Missing or wrong signature (or no secret configured): answer 401, store nothing. Safe to log: no secret, no signature. */
  | { kind: 'rejected'; reason: string };

/** A delivery as the store kept it: the raw body text exactly as received. */
export interface StoredWebhook {
  deliveryId: string;
  topic: string;
  body: string;
  shopOrderId?: string;
}

export type WebhookIntent =
  /** Raw orders to store, exactly as `listChangedOrders` would have yielded them (or the platform's webhook shape, which `toOrder` also reads). */
  | { kind: 'orders'; orders: unknown[] }
  /** The shop no longer has the order: noted on its timeline, nothing else changes. */
  | { kind: 'gone'; shopOrderId: string; detail: string }
  /** A topic bcbridge does not act on (or a body that is not an order): acknowledged and dropped. */
  | { kind: 'ignore'; detail: string };

export interface WebhookSubscription {
  /** The shop's id of the subscription (for `remove`). */
  id: string;
  topic: string;
  /** Where the shop delivers. */
  address: string;
  /** False when the shop has switched the subscription off (WooCommerce after repeated failures). */
  active: boolean;
}
