import { randomBytes } from 'node:crypto';
import { newGuid } from './ids.js';

/**
 * The Entra ID (AAD) client-credentials token endpoint as BC S2S clients use it (bc-api.md §3):
 * `POST /{tenant}/oauth2/v2.0/token`, form-encoded, scope `https://api.businesscentral.dynamics.com/.default`.
 * Tokens are opaque random strings remembered with their expiry; errors use AAD's body shape.
 */
export const BC_SCOPE = 'https://api.businesscentral.dynamics.com/.default';

export interface ClientRegistration {
  clientId: string;
  clientSecret: string;
}

interface Issued {
  clientId: string;
  expiresAt: number;
}

export type Verification = { ok: true; clientId: string } | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

export class TokenService {
  private tokens = new Map<string, Issued>();

  constructor(
    private tenant: string,
    private clients: ClientRegistration[],
    private lifetimeSeconds = 3599,
  ) {}

  private aadError(status: number, error: string, code: number, description: string): { status: number; body: object } {
    const trace = newGuid();
    const corr = newGuid();
    const ts = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    return {
      status,
      body: {
        error,
        error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${corr}\r\nTimestamp: ${ts}`,
        error_codes: [code],
        timestamp: ts,
        trace_id: trace,
        correlation_id: corr,
        error_uri: `https://login.microsoftonline.com/error?code=${code}`,
      },
    };
  }

  issue(tenant: string, form: URLSearchParams): { status: number; body: object } {
    if (tenant !== this.tenant) {
      return this.aadError(400, 'invalid_request', 90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    for (const p of ['grant_type', 'client_id', 'scope']) {
      if (!form.get(p)) return this.aadError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${p}'.`);
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return this.aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${form.get('grant_type')}'.`);
    }
    const clientId = form.get('client_id')!;
    const client = this.clients.find((c) => c.clientId === clientId);
    if (!client) {
      return this.aadError(400, 'unauthorized_client', 700016,
        `Application with identifier '${clientId}' was not found in the directory '${this.tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
    }
    const secret = form.get('client_secret');
    if (!secret) {
      return this.aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    if (secret !== client.clientSecret) {
      return this.aadError(401, 'invalid_client', 7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
    }
    const scope = form.get('scope')!;
    if (scope !== BC_SCOPE) {
      if (!scope.endsWith('/.default')) {
        return this.aadError(400, 'invalid_scope', 1002012,
          `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
      }
      return this.aadError(400, 'invalid_resource', 500011,
        `The resource principal named ${scope.slice(0, -'/.default'.length)} was not found in the tenant named ${this.tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
    }
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, { clientId, expiresAt: Date.now() + this.lifetimeSeconds * 1000 });
    return {
      status: 200,
      body: { token_type: 'Bearer', expires_in: this.lifetimeSeconds, ext_expires_in: this.lifetimeSeconds, access_token: token },
    };
  }

  verify(authorization: string | undefined): Verification {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return { ok: false, reason: 'missing' };
    const t = this.tokens.get(m[1]!);
    if (!t) return { ok: false, reason: 'invalid' };
    if (t.expiresAt <= Date.now()) {
      this.tokens.delete(m[1]!);
      return { ok: false, reason: 'expired' };
    }
    return { ok: true, clientId: t.clientId };
  }

  /** Invalidates every issued token (a test can then observe the client's re-authentication). */
  revokeAll(): void {
    this.tokens.clear();
  }
}
