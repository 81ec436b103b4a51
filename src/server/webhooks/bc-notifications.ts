import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { EnvironmentKey } from '../../config/schema.js';
import type { PipelineContext } from '../../pipeline/context.js';

/** One entry of a BC notification (bc-api.md §6): no entity data, only what changed and how. */
export interface BcNotice {
  subscriptionId: string;
  resource: string;
  changeType: string;
  lastModifiedDateTime?: string;
}

export interface BcNotificationOptions {
  maxBodyBytes: number;
  /** A verified notification for this environment arrived (the trigger runs write-back soon, debounced). */
  onChange?: (env: EnvironmentKey, notices: BcNotice[]) => void;
}

/** BC's validation tokens are short; anything far longer is not a handshake. */
const MAX_TOKEN = 1024;

/**
 * `/webhooks/bc/<live|test>` (docs/webhooks.md "BC → bcbridge"):
 * - `?validationToken=…` (BC's handshake on create and renew): the token echoed as text/plain with 200 —
 *   only for an environment whose subscriptions are enabled;
 * - a notification `{value: [{subscriptionId, clientState, …}]}`: every entry's clientState must equal the
 *   configured secret (timing-safe compare), otherwise 401 and nothing happens. Accepted ones are answered
 *   202 at once; the work (reading shipments, writing to shops) happens afterwards, so BC never waits.
 * Nothing is stored: a notification carries no order, and the write-back poll is the backstop for one that
 * is lost. Note BC deletes a subscription whose notification is answered with anything but 2xx, 408, 429
 * or 5xx — a 401 for a forged or outdated clientState does exactly that, and `bc-subscriptions register`
 * (or the scheduler) makes a new one.
 */
export function createBcNotificationRoutes(ctx: PipelineContext, opts: BcNotificationOptions): Hono {
  const app = new Hono();
  const handle = async (c: Context) => {
    const env = c.req.param('env');
    const settings = env === 'live' || env === 'test' ? ctx.config.bc[env]?.subscriptions : undefined;
    if (!settings?.enabled || !settings.clientState) return c.json({ error: `BC webhooks are not enabled for environment "${env}" (bc.${env}.subscriptions.enabled)` }, 404);
    const key = env as EnvironmentKey;

    const token = c.req.query('validationToken');
    if (token !== undefined) {
      if (token.length > MAX_TOKEN) return c.json({ error: 'validationToken too long' }, 400);
      ctx.log.info({ env: key }, 'BC webhook handshake answered');
      return c.text(token, 200);
    }
    if (c.req.method !== 'POST') return c.json({ error: 'BC notifications are delivered with POST' }, 405);

    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'the body is not JSON' }, 400);
    }
    const value = (body as { value?: unknown } | null)?.value;
    if (!Array.isArray(value) || value.length === 0) return c.json({ error: 'expected {"value": [notifications]}' }, 400);
    const notices: BcNotice[] = [];
    for (const entry of value as Record<string, unknown>[]) {
      if (!entry || typeof entry !== 'object' || !sameSecret(entry.clientState, settings.clientState)) {
        ctx.log.warn({ env: key, entries: value.length }, 'BC notification refused: clientState missing or wrong');
        return c.json({ error: 'unauthorized: clientState missing or wrong' }, 401);
      }
      notices.push({
        subscriptionId: String(entry.subscriptionId ?? ''),
        resource: String(entry.resource ?? ''),
        changeType: String(entry.changeType ?? ''),
        ...(typeof entry.lastModifiedDateTime === 'string' && { lastModifiedDateTime: entry.lastModifiedDateTime }),
      });
    }
    ctx.log.info({ env: key, notices: notices.length, changeTypes: [...new Set(notices.map((n) => n.changeType))] }, 'BC notification received');
    opts.onChange?.(key, notices);
    return c.body(null, 202);
  };
  app.post('/:env', bodyLimit({ maxSize: opts.maxBodyBytes, onError: (c) => c.json({ error: `body larger than ${opts.maxBodyBytes} bytes` }, 413) }), handle);
  // The handshake may come as GET too (Microsoft's webhook guidelines allow either).
  app.get('/:env', handle);
  app.all('/:env', (c) => c.json({ error: 'BC notifications are delivered with POST' }, 405));
  return app;
}

/** Timing-safe: both sides are hashed to equal length first, so neither length nor content leaks. */
function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given === '') return false;
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
