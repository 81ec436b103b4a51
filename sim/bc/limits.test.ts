import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startBcSim } from './server.js';
import { getToken, harness, send } from './test-helpers.js';

describe('BC simulator: operational limits (bc-api.md §2)', () => {
  it('processes at most 5 requests at once per user and queues the rest', async () => {
    const h = await harness({ latencyMs: 100 });
    try {
      const started = Date.now();
      const results = await Promise.all(Array.from({ length: 20 }, () => h.call('GET', 'customers')));
      expect(results.every((r) => r.status === 200)).toBe(true);
      const s = h.sim.stats();
      expect(s.maxInFlight).toBe(5);
      expect(s.maxOpen).toBeGreaterThan(5); // the client sent more; BC queued them
      expect(Date.now() - started).toBeGreaterThanOrEqual(390); // 20 / 5 × 100 ms
    } finally {
      await h.sim.close();
    }
  });

  it('answers 429 beyond the request window and recovers when the window slides', async () => {
    // 5 per 10 s, time-scaled ×10 → 5 per second.
    const h = await harness({ limits: { perWindow: 5, windowMs: 10_000 }, timeScale: 10 });
    try {
      for (let i = 0; i < 5; i++) expect((await h.call('GET', 'items')).status).toBe(200);
      const r = await h.call('GET', 'items');
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe('Application_TooManyRequests');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(h.sim.stats().rejected429).toBe(1);
      await sleep(1050);
      expect((await h.call('GET', 'items')).status).toBe(200);
    } finally {
      await h.sim.close();
    }
  });

  it('answers 429 when the queue is full', async () => {
    const h = await harness({ latencyMs: 150, limits: { concurrent: 1, maxQueue: 2 } });
    try {
      const results = await Promise.all(Array.from({ length: 5 }, () => h.call('GET', 'items')));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(h.sim.stats().maxInFlight).toBe(1);
    } finally {
      await h.sim.close();
    }
  });

  it('keeps limits per app registration and can be switched off', async () => {
    const clients = [{ clientId: 'a', clientSecret: 'x' }, { clientId: 'b', clientSecret: 'y' }];
    const sim = await startBcSim({ clients, latencyMs: 100, limits: { concurrent: 2 } });
    try {
      const [ta, tb] = await Promise.all(clients.map((c) => getToken(sim, c.clientId, c.clientSecret)));
      const url = `${sim.apiBase()}/companies(${sim.companyId()})/items`;
      const started = Date.now();
      const all = await Promise.all([ta, tb].flatMap((t) => Array.from({ length: 4 }, () => send(url, 'GET', t!.body.access_token as string))));
      expect(all.every((r) => r.status === 200)).toBe(true);
      expect(sim.stats().maxInFlight).toBe(2); // per user
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(190); // 4 per user at 2 at a time
      expect(took).toBeLessThan(390); // the two users do not share slots
    } finally {
      await sim.close();
    }

    const h = await harness({ latencyMs: 50, limits: false });
    try {
      await Promise.all(Array.from({ length: 12 }, () => h.call('GET', 'items')));
      expect(h.sim.stats().maxInFlight).toBe(12);
    } finally {
      await h.sim.close();
    }
  });
});
