import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Panel passwords are kept as scrypt hashes: `scrypt$N$r$p$salt$hash` (base64url). scrypt is in
 * node:crypto, memory-hard, and its cost parameters travel with the hash so they can be raised later
 * without invalidating existing hashes.
 */
const DEFAULT = { N: 16384, r: 8, p: 1, keyLength: 32 };

function scryptAsync(password: string, salt: Buffer, keyLength: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keyLength, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  if (password.length < 8) throw new Error('the password must be at least 8 characters');
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, DEFAULT.keyLength, { N: DEFAULT.N, r: DEFAULT.r, p: DEFAULT.p, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${DEFAULT.N}$${DEFAULT.r}$${DEFAULT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  if (!N || !r || !p || expected.length === 0) return false;
  const key = await scryptAsync(password, salt, expected.length, { N, r, p, maxmem: 256 * N * r + 16 * 1024 * 1024 });
  return timingSafeEqual(key, expected);
}

/** API tokens are long random strings, so a plain SHA-256 is enough to keep them out of the config file. */
export function hashToken(token: string): string {
  return `sha256$${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

export function newToken(): string {
  return `bcb_${randomBytes(24).toString('base64url')}`;
}

/** Compares two strings without leaking where they differ (both hashed first, so lengths match). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
