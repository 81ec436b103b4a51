import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBcSim, type BcSim } from './server.js';
import { getToken, send } from './test-helpers.js';

describe('BC simulator: token endpoint and bearer check (bc-api.md §3)', () => {
  let sim: BcSim;
  beforeAll(async () => {
    sim = await startBcSim({ clients: [{ clientId: 'app-1', clientSecret: 's3cret' }] });
  });
  afterAll(() => sim.close());

  it('issues a bearer token for client credentials', async () => {
    const t = await getToken(sim, 'app-1', 's3cret');
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    expect(typeof t.body.access_token).toBe('string');
    expect(sim.stats().tokenRequests).toBe(1);
  });

  it('rejects a wrong secret with AAD invalid_client (401)', async () => {
    const t = await getToken(sim, 'app-1', 'nope');
    expect(t.status).toBe(401);
    expect(t.body.error).toBe('invalid_client');
    expect(String(t.body.error_description)).toMatch(/^AADSTS7000215: Invalid client secret provided/);
    expect(t.body.error_codes).toEqual([7000215]);
  });

  it('rejects a scope without /.default (400 invalid_scope) and an unknown client', async () => {
    const bad = await getToken(sim, 'app-1', 's3cret', 'https://api.businesscentral.dynamics.com');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_scope');
    const unknown = await getToken(sim, 'someone', 's3cret');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('unauthorized_client');
  });

  it('answers 401 Authentication_InvalidCredentials without or with a bad token', async () => {
    const url = `${sim.apiBase()}/companies`;
    for (const token of [undefined, 'not-a-token']) {
      const r = await send(url, 'GET', token);
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('Authentication_InvalidCredentials');
      expect(r.body.error.message).toMatch(/^The server has rejected the client credentials\. {2}CorrelationId: {2}[0-9a-f-]{36}\.$/);
      expect(r.headers.get('www-authenticate')).toContain('Bearer');
      expect(r.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('accepts a valid token and rejects it after expiry or revocation', async () => {
    const t = await getToken(sim, 'app-1', 's3cret');
    const ok = await send(`${sim.apiBase()}/companies`, 'GET', t.body.access_token as string);
    expect(ok.status).toBe(200);
    sim.revokeTokens();
    const after = await send(`${sim.apiBase()}/companies`, 'GET', t.body.access_token as string);
    expect(after.status).toBe(401);

    const short = await startBcSim({ tokenLifetimeSeconds: 0 });
    try {
      const tok = await getToken(short);
      const r = await send(`${short.apiBase()}/companies`, 'GET', tok.body.access_token as string);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toContain('expired');
    } finally {
      await short.close();
    }
  });

  it('gives each environment its own company GUID', async () => {
    expect(sim.companyId('production')).not.toBe(sim.companyId('sandbox'));
    const t = await getToken(sim, 'app-1', 's3cret');
    const r = await send(`${sim.apiBase('sandbox')}/companies?$filter=name eq 'CRONUS Webshop'`, 'GET', t.body.access_token as string);
    expect(r.body.value).toHaveLength(1);
    expect(r.body.value[0].id).toBe(sim.companyId('sandbox'));
    const unknown = await send(`${sim.apiBase('nope')}/companies`, 'GET', t.body.access_token as string);
    expect(unknown.status).toBe(404);
  });
});
