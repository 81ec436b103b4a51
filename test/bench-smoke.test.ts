import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bcbridge } from './helpers/cli.js';
import { PG_URL } from './helpers/databases.js';

/**
 * The benchmark's CI-sized variants (`bcbridge bench --smoke`), for correctness only: every scenario runs as
 * a user runs it (simulators and `bcbridge run` as separate processes), every order ends up in BC exactly
 * once, and the JSON carries every field. Timings are printed by the benchmark, never asserted here.
 */
const FIELDS = [
  'scenario', 'orders', 'seconds', 'ordersPerSecond', 'ceilingOrdersPerSecond', 'ratioToCeiling', 'bcRequestsPerOrder',
  'latencyMs', 'cpuSeconds', 'peakRssMb', 'duplicates', 'lost',
];

const resultsDir = mkdtempSync(join(tmpdir(), 'bcbridge-bench-smoke-'));
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

async function smoke(scenario: string, extra: string[] = []): Promise<Record<string, any>[]> {
  const res = await bcbridge(['bench', '--scenario', scenario, '--smoke', '--json', '--results-dir', resultsDir, '--pg-url', PG_URL, ...extra], { timeoutMs: 400_000 });
  if (res.code !== 0) throw new Error(`bench ${scenario} exited ${res.code}\n${res.stdout}\n${res.stderr}`);
  const lines = res.stdout.trim().split('\n').filter((l) => l.startsWith('{'));
  return lines.map((l) => JSON.parse(l) as Record<string, any>);
}

function expectComplete(r: Record<string, any>, scenario: string): void {
  for (const f of FIELDS) expect(r, `field ${f}`).toHaveProperty(f);
  expect(r.scenario).toBe(scenario);
  for (const p of ['p50', 'p95', 'p99']) expect(r.latencyMs).toHaveProperty(p);
  expect(r.orders).toBeGreaterThan(0);
  expect(r.duplicates).toBe(0);
  expect(r.lost).toBe(0);
  expect(r.strays).toBe(0);
}

describe('bcbridge bench --smoke', () => {
  it('backlog: every waiting order reaches BC once and is verified', async () => {
    const [r] = await smoke('backlog');
    expectComplete(r!, 'backlog');
    expect(r!.states.verified).toBe(r!.orders);
    expect(r!.ceilingOrdersPerSecond).toBeGreaterThan(0);
  }, 420_000);

  it('chaos: 3 SIGKILLs during export under BC faults, then 0 duplicates and 0 lost', async () => {
    const [r] = await smoke('chaos');
    expectComplete(r!, 'chaos');
    expect(r!.details.killsDuringExport).toBeGreaterThanOrEqual(3);
    expect(r!.states.verified).toBe(r!.orders);
    // The faults did happen: BC answered with injected errors or dropped connections.
    expect(Object.keys(r!.details.bcFaultsAndErrors).length).toBeGreaterThan(0);
  }, 420_000);

  it('overhead: the same orders on SQLite and PostgreSQL', async () => {
    const results = await smoke('overhead');
    expect(results.map((r) => r.database).sort()).toEqual(['postgres', 'sqlite']);
    for (const r of results) {
      expectComplete(r, 'overhead');
      expect(r.states.verified).toBe(r.orders);
      // The worker's CPU split by thread: the main thread's share, and the rest (V8's helpers).
      const { cpuMainThreadSeconds: main, cpuHelperThreadsSeconds: helpers } = r.details as { cpuMainThreadSeconds: number; cpuHelperThreadsSeconds: number };
      expect(main).toBeGreaterThan(0);
      expect(helpers).toBeGreaterThanOrEqual(0);
      expect(main + helpers).toBeCloseTo(r.cpuSeconds, 1);
    }
  }, 420_000);

  it('trickle: orders placed one by one arrive by webhook and are verified', async () => {
    const [r] = await smoke('trickle');
    expectComplete(r!, 'trickle');
    expect(r!.states.verified).toBe(r!.orders);
    expect(r!.details.receivedBy.webhook).toBeGreaterThan(0);
  }, 420_000);

  it("seed-baseline: the seed's process model verifies every order once", async () => {
    const [r] = await smoke('seed-baseline');
    expectComplete(r!, 'seed-baseline');
    expect(r!.states.verified).toBe(r!.orders);
    expect(r!.details.soapCreates).toBeGreaterThanOrEqual(r!.orders);
  }, 420_000);

  it('keeps every result in the results directory', () => {
    const files = readdirSync(resultsDir);
    for (const s of ['backlog', 'chaos', 'overhead', 'trickle', 'seed-baseline']) expect(files.some((f) => f.startsWith(`${s}-`) && f.endsWith('.json'))).toBe(true);
  });

  it('refuses an unknown scenario with a clear message', async () => {
    const res = await bcbridge(['bench', '--scenario', 'nope', '--results-dir', resultsDir]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/unknown scenario "nope".*backlog/);
  });
});
