import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `base64(HMAC-SHA256(raw body, secret))`: how WooCommerce (X-WC-Webhook-Signature) and Shopify
 * (X-Shopify-Hmac-Sha256) sign a webhook, over the exact bytes sent (webshop-api.md §1, §2).
 */
export function hmacSha256Base64(rawBody: Buffer, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/**
 * True when `presented` is the base64 HMAC-SHA256 of `rawBody` under `secret`. The digests are compared
 * as bytes with `timingSafeEqual`, so the time taken says nothing about how much of a forged signature
 * was right. A value that is not 32 bytes of base64 cannot match and is refused without comparing.
 */
export function signatureMatches(rawBody: Buffer, secret: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const text = presented.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return false;
  const given = Buffer.from(text, 'base64');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}

/** A stable id for a delivery whose platform sent none: the same bytes on the same topic are the same delivery. */
export function bodyDigestId(topic: string, rawBody: Buffer): string {
  return `sha256:${createHash('sha256').update(topic).update('\n').update(rawBody).digest('hex')}`;
}
