import { describe, expect, it } from 'vitest';
import { BcError } from '../../domain/errors.js';
import { retryDelay, withRetry } from './retry.js';

function failing(errors: BcError[], value = 'ok') {
  let i = 0;
  return async () => {
    if (i < errors.length) throw errors[i++];
    return value;
  };
}

const throttled = (retryAfterMs?: number) => new BcError('BC_THROTTLED', 'slow down', { retryable: true, retryAfterMs });
const ambiguous = () => new BcError('BC_CONNECTION', 'reset', { retryable: true, ambiguous: true });
const permanent = () => new BcError('BC_REJECTED', 'no', { retryable: false });

describe('withRetry', () => {
  it('retries retryable errors, honouring Retry-After, then succeeds', async () => {
    const waits: number[] = [];
    const out = await withRetry(failing([throttled(1500), throttled()]), {
      maxRetries: 5,
      idempotent: false,
      sleep: async (ms) => void waits.push(ms),
      random: () => 0,
    });
    expect(out).toBe('ok');
    expect(waits).toEqual([1500, 500]);
  });

  it('backs off exponentially with jitter, capped', () => {
    const e = throttled();
    expect([1, 2, 3, 4].map((a) => retryDelay(e, a, { random: () => 0.999999, baseDelayMs: 100 }))).toEqual([100, 200, 400, 800]);
    expect(retryDelay(e, 3, { random: () => 0, baseDelayMs: 100 })).toBe(200);
    expect(retryDelay(e, 20, { random: () => 0.999999, baseDelayMs: 100, maxDelayMs: 1000 })).toBe(1000);
  });

  it('gives up after maxRetries with the last error', async () => {
    let calls = 0;
    const err = await withRetry(
      async () => {
        calls++;
        throw throttled(0);
      },
      { maxRetries: 3, idempotent: true, sleep: async () => {} },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BcError);
    expect(calls).toBe(4);
  });

  it('never repeats an ambiguous failure of a create', async () => {
    let calls = 0;
    const err = await withRetry(
      async () => {
        calls++;
        throw ambiguous();
      },
      { maxRetries: 5, idempotent: false, sleep: async () => {} },
    ).catch((e: unknown) => e);
    expect((err as BcError).ambiguous).toBe(true);
    expect(calls).toBe(1);
  });

  it('repeats an ambiguous failure of a read', async () => {
    await expect(withRetry(failing([ambiguous()]), { maxRetries: 1, idempotent: true, sleep: async () => {} })).resolves.toBe('ok');
  });

  it('does not retry permanent errors or foreign exceptions', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw permanent();
        },
        { maxRetries: 5, idempotent: true, sleep: async () => {} },
      ),
    ).rejects.toMatchObject({ code: 'BC_REJECTED' });
    await expect(withRetry(async () => { throw new TypeError('bug'); }, { maxRetries: 5, idempotent: true, sleep: async () => {} })).rejects.toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });

  it('hands a very long Retry-After back to the caller instead of waiting', async () => {
    const waits: number[] = [];
    await expect(
      withRetry(failing([throttled(600_000)]), { maxRetries: 5, idempotent: true, sleep: async (ms) => void waits.push(ms) }),
    ).rejects.toMatchObject({ retryAfterMs: 600_000 });
    expect(waits).toEqual([]);
  });
});
