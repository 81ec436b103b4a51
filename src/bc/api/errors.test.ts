import { describe, expect, it } from 'vitest';
import { BcError } from '../../domain/errors.js';
import { BcApiError, errorFromResponse, errorFromTransport, parseRetryAfter, splitCorrelationId } from './errors.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const GUID = '5a3c2b1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d';

function bcBody(code: string, message: string) {
  return JSON.stringify({ error: { code, message: `${message}  CorrelationId:  ${GUID}.` } });
}

describe('splitCorrelationId', () => {
  it('takes the guid off the end of the message', () => {
    expect(splitCorrelationId(`Item does not exist.  CorrelationId:  ${GUID}.`)).toEqual({ message: 'Item does not exist.', correlationId: GUID });
  });
  it('leaves messages without one alone', () => {
    expect(splitCorrelationId('Bad Request')).toEqual({ message: 'Bad Request' });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000);
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });
});

describe('errorFromResponse', () => {
  it('400 Application_* is permanent, with BC message, code and correlation id', () => {
    const err = errorFromResponse(
      { method: 'POST', status: 400, headers: {}, body: bcBody('Application_DialogException', 'The sell-to customer cannot be found.') },
      NOW,
    );
    expect(err).toBeInstanceOf(BcError);
    expect(err).toMatchObject({
      code: 'BC_REJECTED',
      bcCode: 'Application_DialogException',
      message: 'The sell-to customer cannot be found.',
      correlationId: GUID,
      status: 400,
      retryable: false,
      ambiguous: false,
    });
  });

  it('404 Internal_RecordNotFound is permanent not-found', () => {
    const err = errorFromResponse({ method: 'GET', status: 404, headers: {}, body: bcBody('Internal_RecordNotFound', 'The Sales Header does not exist.') }, NOW);
    expect(err).toMatchObject({ code: 'BC_NOT_FOUND', retryable: false, bcCode: 'Internal_RecordNotFound' });
    const onPost = errorFromResponse({ method: 'POST', status: 404, headers: {}, body: bcBody('Internal_RecordNotFound', "The Fixed Asset does not exist. Identification fields and values: No.='FA'") }, NOW);
    expect(onPost).toMatchObject({ code: 'BC_REJECTED', status: 404, retryable: false, message: "The Fixed Asset does not exist. Identification fields and values: No.='FA'" });
  });

  it('401 is an auth error', () => {
    const err = errorFromResponse({ method: 'GET', status: 401, headers: {}, body: bcBody('Authentication_InvalidCredentials', 'The server has rejected the client credentials.') }, NOW);
    expect(err).toMatchObject({ code: 'BC_AUTH', retryable: false });
  });

  it('429 with and without Retry-After is retryable and never ambiguous', () => {
    const a = errorFromResponse({ method: 'POST', status: 429, headers: { 'retry-after': '3' }, body: bcBody('Application_TooManyRequests', 'Too many requests reached.') }, NOW);
    expect(a).toMatchObject({ code: 'BC_THROTTLED', retryable: true, ambiguous: false, retryAfterMs: 3000 });
    const b = errorFromResponse({ method: 'POST', status: 429, headers: {}, body: '' }, NOW);
    expect(b).toMatchObject({ retryable: true, ambiguous: false, retryAfterMs: undefined });
  });

  it('503 is retryable, not ambiguous: BC never ran a queued request', () => {
    const err = errorFromResponse({ method: 'POST', status: 503, headers: { 'retry-after': 'Sun, 01 Mar 2026 12:00:05 GMT' }, body: '<html>busy</html>' }, NOW);
    expect(err).toMatchObject({ code: 'BC_UNAVAILABLE', retryable: true, ambiguous: false, retryAfterMs: 5000 });
    expect(err.message).toContain('503');
  });

  it('504/502/500/408 on a POST are retryable but ambiguous (the gateway gave up, BC may have committed)', () => {
    for (const status of [408, 500, 502, 504]) {
      const post = errorFromResponse({ method: 'POST', status, headers: {}, body: '' }, NOW);
      expect(post, String(status)).toMatchObject({ retryable: true, ambiguous: true });
      const get = errorFromResponse({ method: 'GET', status, headers: {}, body: '' }, NOW);
      expect(get, String(status)).toMatchObject({ retryable: true, ambiguous: false });
    }
  });

  it('409 is a conflict', () => {
    expect(errorFromResponse({ method: 'PATCH', status: 409, headers: {}, body: bcBody('Request_EntityChanged', 'Another user has already changed the record.') }, NOW)).toMatchObject({
      code: 'BC_CONFLICT',
      retryable: false,
    });
  });
});

describe('errorFromTransport', () => {
  it('a refused connection never reached BC: retryable, not ambiguous', () => {
    const err = errorFromTransport(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'POST', 'http://127.0.0.1:1/x');
    expect(err).toBeInstanceOf(BcApiError);
    expect(err).toMatchObject({ code: 'BC_CONNECTION', retryable: true, ambiguous: false });
  });
  it('a reset or socket close after sending a POST is ambiguous', () => {
    for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']) {
      const err = errorFromTransport(Object.assign(new Error('other side closed'), { code }), 'POST', 'http://h/x');
      expect(err, code).toMatchObject({ code: 'BC_CONNECTION', retryable: true, ambiguous: true });
    }
  });
  it('a timeout on a POST is ambiguous, on a GET it is not', () => {
    const t = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(errorFromTransport(t, 'POST', 'http://h/x')).toMatchObject({ code: 'BC_TIMEOUT', ambiguous: true, retryable: true });
    expect(errorFromTransport(t, 'GET', 'http://h/x')).toMatchObject({ code: 'BC_TIMEOUT', ambiguous: false, retryable: true });
  });
  it('finds the code on a wrapped cause', () => {
    const wrapped = Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) });
    expect(errorFromTransport(wrapped, 'POST', 'http://h/x')).toMatchObject({ ambiguous: false });
  });
});
