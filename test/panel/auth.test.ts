import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { panelSchema, type PanelConfig } from '../../src/config/schema.js';
import type { Clock } from '../../src/domain/clock.js';
import { PanelAuth, SESSION_SECRET_SETTING } from '../../src/server/panel/auth.js';
import { hashPassword, hashToken, verifyPassword } from '../../src/server/panel/password.js';
import { openStore, type Store } from '../../src/store/store.js';
import { bcbridge } from '../helpers/cli.js';

describe('panel passwords, sessions and tokens', () => {
  let store: Store;
  let now = Date.parse('2026-11-23T10:00:00Z');
  const clock: Clock = { now: () => new Date(now) };
  const TOKEN = 'tok_abcdefghijklmnopqrstuvwxyz012345';
  let cfg: PanelConfig;

  beforeAll(async () => {
    store = await openStore(':memory:');
    cfg = panelSchema.parse({ hashedPassword: await hashPassword('open sesame 1'), tokens: [{ name: 'ci', hashedToken: hashToken(TOKEN) }, { name: 'plain', token: 'x'.repeat(30) }] });
  });
  afterAll(async () => {
    await store.close();
  });

  it('hashes with scrypt and verifies only the right password', async () => {
    const h = await hashPassword('hunter2hunter2');
    expect(h).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(h).not.toContain('hunter2');
    expect(await verifyPassword('hunter2hunter2', h)).toBe(true);
    expect(await verifyPassword('hunter2hunter3', h)).toBe(false);
    expect(await verifyPassword('hunter2hunter2', 'scrypt$garbage')).toBe(false);
    // Two hashes of one password differ (random salt).
    expect(await hashPassword('hunter2hunter2')).not.toBe(h);
  });

  it('logs in with the password or a token, and nothing else', async () => {
    const auth = new PanelAuth(cfg, store, clock);
    expect(await auth.login('open sesame 1')).toEqual({ user: 'admin', via: 'password', actor: 'panel:admin' });
    expect(await auth.login(TOKEN)).toEqual({ user: 'ci', via: 'token', actor: 'panel:token:ci' });
    expect(await auth.login('x'.repeat(30))).toMatchObject({ user: 'plain' });
    expect(await auth.login('open sesame 2')).toBeNull();
    expect(await auth.login('')).toBeNull();
    expect(auth.tokenIdentity('open sesame 1')).toBeNull();
  });

  it('signed session cookies survive a restart, but not tampering, expiry or a password change', async () => {
    const a = new PanelAuth(cfg, store, clock);
    const cookie = await a.issue((await a.login('open sesame 1'))!);
    // The secret was generated once and kept in the database: another process accepts the cookie.
    expect(await store.settings.get(SESSION_SECRET_SETTING)).toBeTruthy();
    const b = new PanelAuth(cfg, store, clock);
    const session = await b.read(cookie.value);
    expect(session).toMatchObject({ user: 'admin', via: 'password' });

    const [payload, sig] = cookie.value.split('.');
    const forged = Buffer.from(JSON.stringify({ ...session, user: 'mallory' })).toString('base64url');
    expect(await b.read(`${forged}.${sig}`)).toBeNull();
    expect(await b.read(`${payload}.${sig.slice(0, -2)}xx`)).toBeNull();
    expect(await b.read('garbage')).toBeNull();

    const changed = new PanelAuth({ ...cfg, hashedPassword: await hashPassword('new password 9') }, store, clock);
    expect(await changed.read(cookie.value)).toBeNull();

    now += cfg.sessionHours * 3600_000 + 1000;
    expect(await b.read(cookie.value)).toBeNull();
  });

  it('CSRF tokens belong to one session', async () => {
    const auth = new PanelAuth(cfg, store, clock);
    const s1 = (await auth.read((await auth.issue((await auth.login('open sesame 1'))!)).value))!;
    const s2 = (await auth.read((await auth.issue((await auth.login('open sesame 1'))!)).value))!;
    const t1 = await auth.csrfToken(s1.sid);
    expect(await auth.checkCsrf(s1.sid, t1)).toBe(true);
    expect(await auth.checkCsrf(s2.sid, t1)).toBe(false);
    expect(await auth.checkCsrf(s1.sid, undefined)).toBe(false);
  });

  it('throttles password guessing per client', () => {
    const auth = new PanelAuth(cfg, store, clock);
    for (let i = 0; i < 10; i++) {
      expect(auth.loginAllowed('10.0.0.1')).toBe(true);
      auth.loginFailed('10.0.0.1');
    }
    expect(auth.loginAllowed('10.0.0.1')).toBe(false);
    expect(auth.loginAllowed('10.0.0.2')).toBe(true);
    now += 10 * 60_000 + 1;
    expect(auth.loginAllowed('10.0.0.1')).toBe(true);
  });

  it('the config rejects a password that is not a hash, and half-configured tokens', () => {
    const r = panelSchema.safeParse({ hashedPassword: 'plain-text', tokens: [{ name: 'x' }] });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['hashedPassword', 'tokens.0']));
  });

  it('`bcbridge panel hash-password` prints a hash that verifies; the password is never printed', async () => {
    const r = await bcbridge(['panel', 'hash-password'], { input: 'a long password\n' });
    expect(r.code).toBe(0);
    const hash = r.stdout.trim();
    expect(await verifyPassword('a long password', hash)).toBe(true);
    expect(r.stdout + r.stderr).not.toContain('a long password');
    const short = await bcbridge(['panel', 'hash-password'], { input: 'short\n' });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 8 characters');
    const token = await bcbridge(['panel', 'new-token', '--name', 'ci']);
    const t = /token: (\S+)/.exec(token.stdout)![1];
    expect(token.stdout).toContain(`hashedToken: "${hashToken(t)}"`);
  });
});
