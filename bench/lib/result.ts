import { cpus, totalmem } from 'node:os';

export interface LatencyMs {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** One measured row: what `bcbridge bench --json` prints (one object per line) and bench/results/ keeps. */
export interface BenchResult {
  scenario: string;
  /** sqlite | postgres */
  database: string;
  orders: number;
  /** From the worker being ready (orders waiting) to the last order verified. */
  seconds: number;
  ordersPerSecond: number;
  /** What BC's limits allow at one request per order; null when BC imposes none in this scenario. */
  ceilingOrdersPerSecond: number | null;
  ratioToCeiling: number | null;
  /**
   * Every request the BC simulator received (token, master data, creates, lookups, read-backs, 429s), a
   * `$batch` counted once per operation as BC's rate limit counts it (HTTP requests: details.bcHttpRequests).
   */
  bcRequests: number;
  bcRequestsPerOrder: number;
  /** Per order; what "latency" means depends on the scenario (see `latencyMeaning`). */
  latencyMs: LatencyMs;
  latencyMeaning: string;
  /** User + system CPU of the bcbridge worker process(es). */
  cpuSeconds: number;
  cpuMsPerOrder: number;
  /** Highest resident set size of one bcbridge worker process. */
  peakRssMb: number;
  /** Shop orders with more than one BC sales order (sum of the extra ones). */
  duplicates: number;
  /** Shop orders with no BC sales order. */
  lost: number;
  /** BC sales orders whose external document no. matches no shop order (should be 0). */
  strays: number;
  states: Record<string, number>;
  targets: { name: string; target: string; measured: string; met: boolean }[];
  params: Record<string, unknown>;
  details: Record<string, unknown>;
  machine: Machine;
  startedAt: string;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
}

export function machine(): Machine {
  const c = cpus();
  return {
    cpus: c.length,
    cpuModel: c[0]?.model?.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Nearest-rank percentiles. */
export function percentiles(values: number[]): LatencyMs {
  if (values.length === 0) return { p50: null, p95: null, p99: null };
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]);
  return { p50: at(50), p95: at(95), p99: at(99) };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
