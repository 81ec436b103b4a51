import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PanelConfig } from '../../config/schema.js';
import type { Clock } from '../../domain/clock.js';
import type { Store } from '../../store/store.js';
import { hashToken, safeEqual, verifyPassword } from './password.js';

export const SESSION_COOKIE = 'bcbridge_session';
export const LOGIN_COOKIE = 'bcbridge_login';
export const SESSION_SECRET_SETTING = 'panel.sessionSecret';

/** Who is making a request: the panel user (password) or a named API token. */
export interface Identity {
  user: string;
  via: 'password' | 'token';
  /** Recorded on the order timeline and in runs: `panel:<user>` or `panel:token:<name>`. */
  actor: string;
}

export interface Session extends Identity {
  /** Session id: the CSRF token is derived from it. */
  sid: string;
  /** Expiry, epoch ms. */
  exp: number;
  /** Fingerprint of the credential the session was opened with: changing it ends the session. */
  pv: string;
}

/**
 * Stateless sessions: the cookie holds the session, signed with HMAC-SHA256 under a secret from the
 * config or generated once and kept in the database (so every worker process and a restart accept the
 * same cookies). CSRF tokens are derived from the session id with the same secret (synchronizer token
 * without server-side state).
 */
export class PanelAuth {
  private secretPromise: Promise<Buffer> | undefined;
  private readonly failures = new Map<string, { n: number; resetAt: number }>();

  constructor(
    private readonly cfg: PanelConfig,
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** True when someone can log in at all (a password or a token is configured). */
  configured(): boolean {
    return Boolean(this.cfg.hashedPassword || this.cfg.password || this.cfg.tokens.length > 0);
  }

  private secret(): Promise<Buffer> {
    this.secretPromise ??= this.loadSecret().catch((err) => {
      this.secretPromise = undefined;
      throw err;
    });
    return this.secretPromise;
  }

  private async loadSecret(): Promise<Buffer> {
    if (this.cfg.sessionSecret) return Buffer.from(this.cfg.sessionSecret, 'utf8');
    const now = this.clock.now().toISOString();
    // Insert-if-absent, then read back: two processes starting together end up with the same secret.
    await this.store.db.kysely
      .insertInto('settings')
      .values({ key: SESSION_SECRET_SETTING, value: randomBytes(32).toString('base64url'), updated_at: now })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const stored = await this.store.settings.get(SESSION_SECRET_SETTING);
    if (!stored) throw new Error('the panel session secret could not be stored');
    return Buffer.from(stored, 'utf8');
  }

  private async sign(data: string): Promise<string> {
    return createHmac('sha256', await this.secret()).update(data, 'utf8').digest('base64url');
  }

  /** Checks what was typed into the login form: the panel password, or one of the API tokens. */
  async login(secret: string): Promise<Identity | null> {
    if (!secret) return null;
    const token = this.tokenIdentity(secret);
    if (token) return token;
    let ok = false;
    if (this.cfg.hashedPassword) ok = await verifyPassword(secret, this.cfg.hashedPassword);
    if (!ok && this.cfg.password) ok = safeEqual(secret, this.cfg.password);
    return ok ? { user: this.cfg.user, via: 'password', actor: `panel:${this.cfg.user}` } : null;
  }

  /** An API token (Authorization: Bearer …), compared through its SHA-256 so plain and hashed entries work alike. */
  tokenIdentity(presented: string): Identity | null {
    if (presented.length < 24) return null;
    const presentedHash = hashToken(presented);
    let found: string | undefined;
    for (const t of this.cfg.tokens) {
      const stored = t.hashedToken ?? hashToken(t.token!);
      // Every entry is compared (no early exit), so timing does not reveal which one matched.
      if (safeEqual(presentedHash, stored)) found = t.name;
    }
    return found ? { user: found, via: 'token', actor: `panel:token:${found}` } : null;
  }

  private fingerprint(identity: Identity): string {
    const material =
      identity.via === 'token'
        ? (() => {
            const t = this.cfg.tokens.find((x) => x.name === identity.user);
            return t ? (t.hashedToken ?? hashToken(t.token!)) : '';
          })()
        : `${this.cfg.user}|${this.cfg.hashedPassword ?? ''}|${this.cfg.password ?? ''}`;
    return createHash('sha256').update(material, 'utf8').digest('base64url').slice(0, 16);
  }

  async issue(identity: Identity): Promise<{ value: string; maxAgeSeconds: number }> {
    const maxAgeSeconds = Math.round(this.cfg.sessionHours * 3600);
    const session: Session = { ...identity, sid: randomBytes(16).toString('base64url'), exp: this.clock.now().getTime() + maxAgeSeconds * 1000, pv: this.fingerprint(identity) };
    const payload = Buffer.from(JSON.stringify(session), 'utf8').toString('base64url');
    return { value: `${payload}.${await this.sign(payload)}`, maxAgeSeconds };
  }

  async read(cookie: string | undefined): Promise<Session | null> {
    if (!cookie) return null;
    const dot = cookie.indexOf('.');
    if (dot <= 0) return null;
    const payload = cookie.slice(0, dot);
    const expected = Buffer.from(await this.sign(payload), 'utf8');
    const given = Buffer.from(cookie.slice(dot + 1), 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    let session: Session;
    try {
      session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Session;
    } catch {
      return null;
    }
    if (typeof session.exp !== 'number' || session.exp <= this.clock.now().getTime()) return null;
    if (session.pv !== this.fingerprint(session)) return null;
    return session;
  }

  async csrfToken(sid: string): Promise<string> {
    return this.sign(`csrf|${sid}`);
  }

  async checkCsrf(sid: string, presented: string | undefined): Promise<boolean> {
    if (!presented) return false;
    return safeEqual(await this.csrfToken(sid), presented);
  }

  /** Slows password guessing: at most 10 failed logins per client per 10 minutes. */
  loginAllowed(client: string): boolean {
    const f = this.failures.get(client);
    return !f || f.resetAt <= this.clock.now().getTime() || f.n < 10;
  }

  loginFailed(client: string): void {
    const now = this.clock.now().getTime();
    const f = this.failures.get(client);
    if (!f || f.resetAt <= now) this.failures.set(client, { n: 1, resetAt: now + 10 * 60_000 });
    else f.n++;
    if (this.failures.size > 10_000) this.failures.clear();
  }

  loginSucceeded(client: string): void {
    this.failures.delete(client);
  }
}
