import { Agent, request } from 'undici';
import type { Clock } from '../domain/clock.js';
import { ConfigError, type ShopError } from '../domain/errors.js';
import { redactUrl, type RequestLogSink } from '../http/request-log.js';

/**
 * The HTTP plumbing every shop client shares: checking the configured address, an agent with one
 * timeout for connect, first byte and body, and one request recorded in the request log. What a status
 * or a body means, retries and pacing stay with each platform's client.
 */

export const USER_AGENT = 'bcbridge/0.1';

export interface ShopHttpDeps {
  clock: Clock;
  requestLog: RequestLogSink;
}

/** `address` as a URL; a ConfigError names `field` (showing `shown`, redacted) when it is not http(s). */
export function requireHttpAddress(address: string, shopCode: string, field: string, shown = address): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(address);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new ConfigError([`shop "${shopCode}": ${field} "${redactUrl(shown)}" is not an http(s) address`]);
  }
  return parsed;
}

/** An undici agent that gives up after `timeoutMs` connecting, waiting for headers, or between body chunks. */
export function timeoutAgent(timeoutMs: number): Agent {
  return new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
}

/** Records one call's outcome; the duration counts from when the logger was made. */
export type CallLog = (status: number | undefined, error?: string) => void;

/** `url` is logged as given: redact it first. */
export function callLog(deps: ShopHttpDeps, shopCode: string, method: string, url: string): CallLog {
  const started = deps.clock.now();
  return (status, error) => {
    deps.requestLog.record({
      at: started.toISOString(),
      system: 'shop',
      target: shopCode,
      method,
      url,
      ...(status !== undefined && { status }),
      durationMs: Math.max(0, deps.clock.now().getTime() - started.getTime()),
      ...(error !== undefined && { error }),
    });
  };
}

/** An answer as the REST clients hand it on: the body read from JSON (undefined when there was none). */
export interface ShopResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface ShopAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * Sends one request and reads the whole answer as text. Without an answer it logs and throws: the
 * signal's reason when the caller aborted, else `networkError(err)`. An answer is not logged here: the
 * client logs it once it knows what the answer means.
 */
export async function requestText(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; agent: Agent; signal?: AbortSignal },
  log: CallLog,
  networkError: (err: unknown) => ShopError,
): Promise<ShopAnswer> {
  try {
    const res = await request(url, { method: init.method as 'GET', headers: init.headers, body: init.body, dispatcher: init.agent, signal: init.signal });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  } catch (err) {
    if (init.signal?.aborted) {
      log(undefined, 'aborted');
      throw init.signal.reason ?? err;
    }
    const shopError = networkError(err);
    log(undefined, shopError.message);
    throw shopError;
  }
}
