import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../http/request-log.js';
import { createClientCredentialsAuth } from './auth.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A token endpoint that answers from `reply` and counts calls. */
async function tokenEndpoint(reply: (form: URLSearchParams, n: number) => { status: number; body: unknown; delayMs?: number }) {
  let calls = 0;
  const forms: URLSearchParams[] = [];
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(raw);
      forms.push(form);
      const r = reply(form, ++calls);
      setTimeout(() => {
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(r.body));
      }, r.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tenant-1/oauth2/v2.0/token`;
  return { url, calls: () => calls, forms };
}

function clockAt(ms: number) {
  const c = { t: ms, now: () => new Date(c.t) };
  return c;
}

describe('client credentials auth', () => {
  it('posts the form, caches until 5 minutes before expiry, shares one in-flight request', async () => {
    const ep = await tokenEndpoint((_, n) => ({ status: 200, body: { token_type: 'Bearer', expires_in: 3599, access_token: `tok-${n}` }, delayMs: 30 }));
    const clock = clockAt(0);
    const log: RequestLogEntry[] = [];
    const auth = createClientCredentialsAuth(
      { tenant: 'tenant-1', clientId: 'cid', clientSecret: 's3cr3t', tokenUrl: ep.url },
      { clock, requestLog: { record: (e) => log.push(e) }, logTarget: 'production' },
    );
    const headers = await Promise.all(Array.from({ length: 10 }, () => auth.header()));
    expect(new Set(headers)).toEqual(new Set(['Bearer tok-1']));
    expect(ep.calls()).toBe(1);
    expect(Object.fromEntries(ep.forms[0])).toEqual({
      grant_type: 'client_credentials',
      client_id: 'cid',
      client_secret: 's3cr3t',
      scope: 'https://api.businesscentral.dynamics.com/.default',
    });

    clock.t = (3599 - 301) * 1000;
    expect(await auth.header()).toBe('Bearer tok-1');
    clock.t = (3599 - 299) * 1000;
    expect(await auth.header()).toBe('Bearer tok-2');

    // A 401 with tok-2 invalidates it once; a late invalidate for the older token changes nothing.
    auth.invalidate('Bearer tok-2');
    auth.invalidate('Bearer tok-2');
    expect(await auth.header()).toBe('Bearer tok-3');
    auth.invalidate('Bearer tok-1');
    expect(await auth.header()).toBe('Bearer tok-3');
    expect(ep.calls()).toBe(3);

    expect(log).toHaveLength(3);
    expect(log[0]).toMatchObject({ system: 'bc', target: 'production', method: 'POST', status: 200 });
    expect(JSON.stringify(log)).not.toMatch(/s3cr3t|tok-/);
  });

  it('turns Entra errors into BC_AUTH with error_description and no secret', async () => {
    const ep = await tokenEndpoint(() => ({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent is the client secret value, not 's3cr3t'.",
        correlation_id: 'abc',
      },
    }));
    const auth = createClientCredentialsAuth(
      { tenant: 'tenant-1', clientId: 'cid', clientSecret: 's3cr3t', tokenUrl: ep.url },
      { clock: clockAt(0), requestLog: { record: () => {} } },
    );
    const err = await auth.header().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BC_AUTH', retryable: false, status: 401 });
    expect((err as Error).message).toContain('AADSTS7000215');
    expect((err as Error).message).not.toContain('s3cr3t');
    // A failed token request is not cached: the next call asks again.
    await auth.header().catch(() => {});
    expect(ep.calls()).toBe(2);
  });

  it('a token endpoint that is down is a retryable BC_AUTH', async () => {
    const auth = createClientCredentialsAuth(
      { tenant: 't', clientId: 'cid', clientSecret: 'x', tokenUrl: 'http://127.0.0.1:1/token' },
      { clock: clockAt(0), requestLog: { record: () => {} } },
    );
    await expect(auth.header()).rejects.toMatchObject({ code: 'BC_AUTH', retryable: true });
  });
});
