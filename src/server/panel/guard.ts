import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { SESSION_COOKIE, type Identity, type PanelAuth, type Session } from './auth.js';

/** Paths readable without a login: health for load balancers, and webhooks (they prove themselves by signature). */
export function isPublicPath(path: string): boolean {
  return path === '/healthz' || path.startsWith('/webhooks/');
}

export interface RequestAuth {
  identity: Identity;
  /** Present for cookie sessions; API token requests carry no session and need no CSRF token. */
  session: Session | null;
  /** The CSRF token pages embed (empty for token requests). */
  csrf: string;
}

const byRequest = new WeakMap<Request, RequestAuth>();

/** The authenticated caller of a request that passed the guard. */
export function requestAuth(c: Context): RequestAuth {
  const a = byRequest.get(c.req.raw);
  if (!a) throw new Error('panel route reached without authentication');
  return a;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function securityHeaders(c: Context, csp = CSP): void {
  try {
    const h = c.res.headers;
    h.set('Content-Security-Policy', csp);
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('X-Frame-Options', 'DENY');
    h.set('Referrer-Policy', 'same-origin');
    if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
  } catch {
    // Immutable headers (a response from fetch passed through): leave them as they are.
  }
}

/** A browser request that another site started (a form or fetch from elsewhere) is refused. */
export function crossSite(c: Context): boolean {
  if (c.req.header('sec-fetch-site') === 'cross-site') return true;
  const origin = c.req.header('origin');
  if (!origin || origin === 'null') return origin === 'null';
  try {
    // Behind a reverse proxy the Host header may be the upstream's; the proxy's X-Forwarded-Host counts too.
    const hosts = [c.req.header('host') ?? new URL(c.req.url).host, c.req.header('x-forwarded-host')?.split(',')[0].trim()];
    return !hosts.includes(new URL(origin).host);
  } catch {
    return true;
  }
}

/**
 * Everything except /healthz and /webhooks/* needs a login: a session cookie (with a CSRF token on
 * every state-changing request) or an API token (`Authorization: Bearer …`). Anonymous page requests
 * are sent to the login page; API, htmx and other requests get 401.
 */
export function panelGuard(auth: PanelAuth): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path;
    if (isPublicPath(path)) return next();
    if (path === '/login') {
      await next();
      return;
    }
    let result: RequestAuth | null = null;
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization);
      const identity = m ? auth.tokenIdentity(m[1]) : null;
      if (!identity) return c.json({ error: 'invalid API token' }, 401, { 'WWW-Authenticate': 'Bearer realm="bcbridge", error="invalid_token"' });
      result = { identity, session: null, csrf: '' };
    } else {
      const session = await auth.read(getCookie(c, SESSION_COOKIE));
      if (session) result = { identity: { user: session.user, via: session.via, actor: session.actor }, session, csrf: await auth.csrfToken(session.sid) };
    }
    if (!result) return unauthenticated(c);
    if (UNSAFE.has(c.req.method) && result.session) {
      if (crossSite(c)) return c.json({ error: 'cross-site request refused' }, 403);
      let presented = c.req.header('x-csrf-token');
      if (!presented && /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(c.req.header('content-type') ?? '')) {
        const body = await c.req.parseBody();
        presented = typeof body._csrf === 'string' ? body._csrf : undefined;
      }
      if (!(await auth.checkCsrf(result.session.sid, presented))) {
        return c.json({ error: 'missing or wrong CSRF token: reload the page and try again' }, 403);
      }
    }
    byRequest.set(c.req.raw, result);
    await next();
    securityHeaders(c);
  };
}

function unauthenticated(c: Context): Response {
  const path = c.req.path;
  if (path.startsWith('/api/')) {
    return c.json({ error: 'login required: send a session cookie (log in at /login) or Authorization: Bearer <token>' }, 401, { 'WWW-Authenticate': 'Bearer realm="bcbridge"' });
  }
  if (c.req.header('hx-request')) {
    // htmx follows HX-Redirect with a full page load: the session ended while the page was open.
    return c.body(null, 401, { 'HX-Redirect': '/login' });
  }
  if (c.req.method === 'GET' || c.req.method === 'HEAD') {
    const url = new URL(c.req.url);
    return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
  }
  return c.text('login required', 401);
}
