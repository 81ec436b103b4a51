import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** BC writes blank GUID fields as all zeros (bc-api.md §8 "empty GUIDs as 00000000-…"). */
export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';
/** BC's "empty date" (bc-api.md §1.4, sample requestedDeliveryDate). */
export const EMPTY_DATE = '0001-01-01';

export const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function newGuid(): string {
  return randomUUID();
}

/**
 * A stable GUID derived from a salt and a name: the same record keeps its id across `/_sim/reset`
 * within one simulator, while environments (and separate simulator runs) get different ids, as in
 * BC where company GUIDs differ per environment (bc-api.md §5).
 */
export function stableGuid(salt: string, name: string): string {
  const h = createHash('sha256').update(salt).update('\0').update(name).digest('hex');
  const v = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${v}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function randomSalt(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Weak ETag in BC's shape: W/"<base64 of '44;<hash>1;00;'>" (bc-api.md §1.6, sample
 * api-collection-with-etag.response.json). Opaque to clients; changes with every write.
 */
export function makeEtag(id: string, version: number): string {
  const hash = createHash('sha256').update(`${id}:${version}`).digest('base64');
  const inner = `'44;${hash}${version};00;'`;
  return `W/"${Buffer.from(inner, 'utf8').toString('base64')}"`;
}

export function nowIso(): string {
  return new Date().toISOString();
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
