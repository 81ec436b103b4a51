import { drainBacklog } from '../lib/drain.js';
import { machine, round, type BenchResult } from '../lib/result.js';
import type { Scenario, ScenarioOptions } from '../lib/scenario.js';

/** BC online, per user (reference/bc-api.md §2). */
const BC_CONCURRENT = 5;
const BC_PER_WINDOW = 6000;
const BC_WINDOW_S = 300;

const LATENCY_MS = 150;
const TIME_SCALE = 30;
const PER_WINDOW = Math.round(BC_PER_WINDOW / TIME_SCALE);
const WINDOW_S = BC_WINDOW_S / TIME_SCALE;

/** BC as the backlog meets it (also the seed-baseline's): simulator settings, the client's, and the ceiling. */
export const BACKLOG_BC = {
  sim: { latencyMs: LATENCY_MS, timeScale: TIME_SCALE, perWindow: PER_WINDOW, concurrent: BC_CONCURRENT },
  // The operator's settings for this BC user: its limits, scaled like the simulator's. The pacing keeps 2 %
  // below the budget: BC counts a request when it arrives, and requests paced exactly at the limit arrive
  // with a few ms of jitter, so some would be over it; every 429 pauses all requests of the user.
  client: { maxInFlight: BC_CONCURRENT, requestsPerWindow: Math.floor(PER_WINDOW * 0.98), windowMs: WINDOW_S * 1000, timeoutMs: 30_000 },
  ceiling: Math.min(PER_WINDOW / WINDOW_S, BC_CONCURRENT / (LATENCY_MS / 1000)),
};

/**
 * `backlog`: N orders already waiting in the shop; BC enforces 5 in flight and its request budget, with
 * 150 ms per request. Time scale k shrinks the 5-minute window to 300/k s and the 6,000 budget to 6,000/k:
 * the rate stays BC's 20 requests/s, only the burst allowance shrinks, so a run of a few thousand orders
 * meets the rate limit as a long backlog would, instead of fitting into the first window's burst.
 */
export const backlog: Scenario = {
  name: 'backlog',
  description: 'N waiting orders against BC limits (5 in flight, 6,000/5 min time-scaled, 150 ms latency)',
  async run(o: ScenarioOptions): Promise<BenchResult[]> {
    const orders = o.orders ?? (o.smoke ? 50 : 2000);
    const { latencyMs, timeScale, perWindow } = BACKLOG_BC.sim;
    const windowS = WINDOW_S;
    const ceiling = BACKLOG_BC.ceiling;
    const database = o.databases?.[0] ?? 'sqlite';
    const startedAt = new Date().toISOString();
    const m = await drainBacklog({
      orders,
      database,
      pgAdminUrl: o.pgAdminUrl,
      label: 'backlog',
      progress: o.progress,
      timeoutMs: Math.max(120_000, (orders / ceiling) * 3000),
      sim: BACKLOG_BC.sim,
      config: { bc: BACKLOG_BC.client },
    });
    const ordersPerSecond = orders / m.seconds;
    const perOrder = m.bc.operations / orders;
    const ratio = ordersPerSecond / ceiling;
    return [
      {
        scenario: 'backlog',
        database,
        orders,
        seconds: round(m.seconds),
        ordersPerSecond: round(ordersPerSecond),
        ceilingOrdersPerSecond: round(ceiling),
        ratioToCeiling: round(ratio, 3),
        bcRequests: m.bc.operations,
        bcRequestsPerOrder: round(perOrder, 3),
        latencyMs: m.latency,
        latencyMeaning: 'worker ready (all orders waiting) → order verified in BC',
        cpuSeconds: round(m.cpuSeconds),
        cpuMsPerOrder: round((m.cpuSeconds * 1000) / orders),
        peakRssMb: round(m.peakRssMb, 1),
        duplicates: m.exactlyOnce.duplicates,
        lost: m.exactlyOnce.lost,
        strays: m.exactlyOnce.strays,
        states: m.states,
        targets: [
          { name: 'ratioToCeiling', target: '≥ 0.9', measured: ratio.toFixed(3), met: ratio >= 0.9 },
          { name: 'bcRequestsPerOrder', target: '≤ 1.05', measured: perOrder.toFixed(3), met: perOrder <= 1.05 },
          { name: 'duplicates', target: '0', measured: String(m.exactlyOnce.duplicates), met: m.exactlyOnce.duplicates === 0 },
          { name: 'lost', target: '0', measured: String(m.exactlyOnce.lost), met: m.exactlyOnce.lost === 0 },
        ],
        params: { latencyMs, concurrent: BC_CONCURRENT, timeScale, perWindow, windowSeconds: windowS, clientRequestsPerWindow: BACKLOG_BC.client.requestsPerWindow, smoke: o.smoke },
        details: {
          bcHttpRequests: m.bc.requests,
          startupSeconds: round(m.startupSeconds),
          phases: m.phases,
          bcByStatus: m.bc.byStatus,
          bcMaxInFlight: m.bc.maxInFlight,
          bcTokenRequests: m.bc.tokenRequests,
          maxAttempts: m.maxAttempts,
          rssMbTimeline: m.rssMbTimeline,
          bcRequestsByKind: m.requests.byKind,
          bcRequestsPerSecond: m.requests.perSecond,
        },
        machine: machine(),
        startedAt,
      },
    ];
  },
};
