import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../../domain/errors.js';

/**
 * BigCommerce webhook deliveries (reference/webshop-api.md §3 "Webhooks"). The body is thin — scope,
 * the order id and a `hash` that is identical for duplicate firings — so every event means "fetch
 * order N". Two ways to trust a delivery, either is enough:
 *  - Standard Webhooks (current hooks): `webhook-signature: v1,<base64 HMAC-SHA256(client secret,
 *    "{webhook-id}.{webhook-timestamp}.{raw body}")>` (several space-separated signatures allowed),
 *    with the timestamp within `toleranceSeconds` of now;
 *  - a shared secret in a custom header configured on the hook (older hooks).
 * Verification runs on the raw body bytes, before any JSON parsing.
 */
export interface BigCommerceWebhookSecrets {
  clientSecret?: string;
  headerSecret?: { name: string; value: string };
}

export type Headers = Record<string, string | string[] | undefined>;

export type Verdict = { ok: true; method: 'standard-webhooks' | 'header-secret' } | { ok: false; reason: string };

const DEFAULT_TOLERANCE_SECONDS = 300;

function header(headers: Headers, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === wanted) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The Standard Webhooks signature of a delivery, as BigCommerce computes it (exported for the tests' deliveries). */
export function standardWebhookSignature(clientSecret: string, id: string, timestamp: string, body: Buffer | string): string {
  const mac = createHmac('sha256', Buffer.from(clientSecret, 'utf8'));
  mac.update(`${id}.${timestamp}.`);
  mac.update(body);
  return mac.digest('base64');
}

export function verifyBigCommerceWebhook(
  body: Buffer | string,
  headers: Headers,
  secrets: BigCommerceWebhookSecrets,
  nowMs: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): Verdict {
  if (!secrets.clientSecret && !secrets.headerSecret) {
    return { ok: false, reason: 'no webhook secret is configured for this shop (webhookClientSecret or webhookHeaderSecret)' };
  }
  const reasons: string[] = [];
  if (secrets.clientSecret) {
    const id = header(headers, 'webhook-id');
    const timestamp = header(headers, 'webhook-timestamp');
    const signatures = header(headers, 'webhook-signature');
    if (!id || !timestamp || !signatures) {
      reasons.push('the webhook-id, webhook-timestamp and webhook-signature headers are not all present');
    } else if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceSeconds) {
      reasons.push(`webhook-timestamp ${timestamp} is more than ${toleranceSeconds} s away from now (a replay, or a clock off)`);
    } else {
      const expected = standardWebhookSignature(secrets.clientSecret, id, timestamp, body);
      const offered = signatures.split(' ').map((s) => s.trim()).filter((s) => s.startsWith('v1,')).map((s) => s.slice(3));
      if (offered.some((sig) => sameText(sig, expected))) return { ok: true, method: 'standard-webhooks' };
      reasons.push('webhook-signature does not match the body signed with webhookClientSecret');
    }
  }
  if (secrets.headerSecret) {
    const got = header(headers, secrets.headerSecret.name);
    if (got !== undefined && sameText(got, secrets.headerSecret.value)) return { ok: true, method: 'header-secret' };
    reasons.push(`header ${secrets.headerSecret.name} is ${got === undefined ? 'missing' : 'not the configured secret'}`);
  }
  return { ok: false, reason: reasons.join('; ') };
}

export interface BigCommerceWebhookEvent {
  scope: string;
  /** The order to fetch; absent for scopes that are not about an order. */
  orderId?: string;
  /** Identical for duplicate firings of one event: the de-duplication key. */
  hash?: string;
  /** Unix seconds, as BigCommerce sends it. */
  createdAt?: number;
}

/** The event in a verified body. Throws ValidationError when the body is not a BigCommerce webhook. */
export function parseBigCommerceWebhook(body: Buffer | string): BigCommerceWebhookEvent {
  let doc: unknown;
  try {
    doc = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch {
    throw new ValidationError('the webhook body is not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new ValidationError('the webhook body is not a JSON object');
  const d = doc as Record<string, unknown>;
  if (typeof d.scope !== 'string' || d.scope === '') throw new ValidationError('the webhook body has no scope');
  const data = typeof d.data === 'object' && d.data !== null ? (d.data as Record<string, unknown>) : {};
  // Order scopes carry the order as data.id; shipment scopes carry the shipment there and the order as data.orderId.
  const raw = d.scope.startsWith('store/shipment/') ? data.orderId : data.type === 'order' || d.scope.startsWith('store/order/') ? data.id : undefined;
  const orderId = typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 0 ? String(raw) : typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? raw : undefined;
  return {
    scope: d.scope,
    ...(orderId !== undefined && { orderId }),
    ...(typeof d.hash === 'string' && { hash: d.hash }),
    ...(typeof d.created_at === 'number' && { createdAt: d.created_at }),
  };
}

/** The scopes `bcbridge webhooks register` subscribes to (issue 8): each event means "read order N again". */
export const BIGCOMMERCE_WEBHOOK_TOPICS = ['store/order/created', 'store/order/updated', 'store/order/statusUpdated'] as const;
