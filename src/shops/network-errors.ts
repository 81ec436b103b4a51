import { ShopError } from '../domain/errors.js';

/**
 * A request that got no HTTP answer, as a ShopError: timeouts and resets are worth retrying; DNS and
 * certificate problems are configuration and are not. The classification is the same for every shop;
 * the sentences (what to check) are the platform's.
 */
export interface NetworkSentences {
  /** No answer within the timeout (retryable). */
  timeout: string;
  /** The host name does not resolve. */
  noHost: string;
  /** The https certificate was refused. */
  tls: string;
  /** Any other connection failure, e.g. a reset (retryable). */
  connection: string;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/;

/** The error code of `err` or of one of its causes (undici wraps the socket's error). */
function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** `sentences` gets the error code ('unknown' when there is none) to quote. */
export function shopNetworkError(err: unknown, sentences: (code: string) => NetworkSentences): ShopError {
  const code = errorCode(err) ?? 'unknown';
  const say = sentences(code);
  if (TIMEOUT_CODES.has(code)) return new ShopError('SHOP_TIMEOUT', say.timeout, { retryable: true, cause: err });
  if (code === 'ENOTFOUND') return new ShopError('SHOP_UNREACHABLE', say.noHost, { cause: err });
  if (TLS_CODES.test(code)) return new ShopError('SHOP_TLS', say.tls, { cause: err });
  return new ShopError('SHOP_UNREACHABLE', say.connection, { retryable: true, cause: err });
}
