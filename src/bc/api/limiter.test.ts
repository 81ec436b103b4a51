import { describe, expect, it } from 'vitest';
import { BcLimiter } from './limiter.js';

/** A clock that only moves when someone sleeps on it; parallel sleepers wake at their own deadline. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    clock: { now: () => new Date(now) },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      const wake = now + ms;
      await tick();
      now = Math.max(now, wake);
    },
    sleeps,
    advance: (ms: number) => void (now += ms),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('BcLimiter', () => {
  it('never runs more than maxInFlight at once, and serves waiters in order', async () => {
    const t = fakeTime();
    const limiter = new BcLimiter({ maxInFlight: 2, requestsPerWindow: 1000, windowMs: 1000 }, t);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const gates: Array<() => void> = [];
    const jobs = Array.from({ length: 6 }, (_, i) =>
      limiter.run(async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(i);
        await new Promise<void>((r) => gates.push(r));
        running--;
      }),
    );
    for (let k = 0; k < 6; k++) {
      await tick();
      gates.shift()?.();
    }
    await Promise.all(jobs);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(limiter.stats()).toMatchObject({ inFlight: 0, queued: 0, peakInFlight: 2 });
  });

  it('paces starts to requestsPerWindow per sliding window', async () => {
    const t = fakeTime();
    const limiter = new BcLimiter({ maxInFlight: 10, requestsPerWindow: 3, windowMs: 1000 }, t);
    const startedAt: number[] = [];
    await Promise.all(Array.from({ length: 7 }, () => limiter.run(async () => void startedAt.push(t.clock.now().getTime()))));
    // 3 at once, the next 3 a window later, the 7th two windows later.
    expect(startedAt.sort((a, b) => a - b)).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
  });

  it('counts a request of several units (a $batch) against the window once per unit', async () => {
    const t = fakeTime();
    const limiter = new BcLimiter({ maxInFlight: 10, requestsPerWindow: 4, windowMs: 1000 }, t);
    const startedAt: number[] = [];
    // 3 units now; the next request of 2 units needs one more place than the window has left.
    await limiter.run(async () => void startedAt.push(t.clock.now().getTime()), 3);
    await limiter.run(async () => void startedAt.push(t.clock.now().getTime()), 2);
    await limiter.run(async () => void startedAt.push(t.clock.now().getTime()));
    expect(startedAt).toEqual([0, 1000, 1000]);
    // Both places of the second request were booked at 1000, so the window is full until 2000 for two more.
    await limiter.run(async () => void startedAt.push(t.clock.now().getTime()), 2);
    expect(startedAt[3]).toBe(2000);
  });

  it('holdFor pauses every request of the user', async () => {
    const t = fakeTime();
    const limiter = new BcLimiter({ maxInFlight: 5, requestsPerWindow: 100, windowMs: 1000 }, t);
    limiter.holdFor(2500);
    await limiter.run(async () => {});
    expect(t.sleeps).toEqual([2500]);
  });

  it('releases the slot when the job throws', async () => {
    const t = fakeTime();
    const limiter = new BcLimiter({ maxInFlight: 1, requestsPerWindow: 100, windowMs: 1000 }, t);
    await expect(limiter.run(async () => { throw new Error('x'); })).rejects.toThrow('x');
    await expect(limiter.run(async () => 'ok')).resolves.toBe('ok');
  });
});
