import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { RECOMMENDED_NODE_ARGS } from '../../src/cli/heap-settings.js';
import { PACKAGE_ROOT } from '../../src/cli/sim-process.js';
import { readProcUsage, type ProcUsage } from './proc-usage.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'bcbridge.js');
const SAMPLE_MS = 200;

/**
 * Workers run with the V8 heap settings docs/configuration.md ("Memory") recommends where operators start
 * bcbridge (docs/performance.md, ninth pass, has the measurements):
 * - `--max-old-space-size=1536`: V8 picks how far the old generation may grow past what is live before a full
 *   collection from the heap *limit*: ~1.4× at 512 MB, ~1.8× at 1.5 GB, up to 4× from 2 GB (Node's default on
 *   a large machine is ~4 GB). bcbridge's live heap is ~35–45 MB and flat, so the limit is never reached; 1.5 GB
 *   halves the full collections of 512 MB, whose concurrent marking was ~15 % of the worker's CPU.
 * - `--max-semi-space-size=32` (Node's default is 16 MB): a young generation twice as large is collected half as
 *   often, so fewer of the orders in flight between stages survive into the old generation.
 * Together: ~15–20 % less CPU per order than 512 MB alone, peak RSS ~260 MB instead of ~212 MB at 100,000
 * orders. Heap options in NODE_OPTIONS win.
 */
const HEAP_ARGS = /--max-(old|semi)-space-size/.test(process.env.NODE_OPTIONS ?? '') ? [] : RECOMMENDED_NODE_ARGS;

export interface WorkerOptions {
  configPath: string;
  /** stderr (bcbridge's log) is appended here. */
  logPath: string;
  /** Arguments after `run` (e.g. `--worker`). */
  runArgs?: string[];
  /** HTTP port of the worker (webhook receiver); default a free one. */
  port?: number;
  readyTimeoutMs?: number;
  /** Writes a V8 CPU profile of the worker into this directory when it exits (node --cpu-prof). */
  profileDir?: string;
  /**
   * Another program instead of `bcbridge run` (node arguments after the node binary, e.g. the seed model);
   * it announces readiness with a stderr line matching `readyPattern`.
   */
  command?: string[];
  readyPattern?: RegExp;
  /** stdout goes to this file (default: discarded). */
  stdoutPath?: string;
}

/**
 * Workers still running. A benchmark stopped with Ctrl-C (or ending on an error) takes them along, so no
 * `bcbridge run` keeps exporting into a database nobody looks at. (A SIGKILLed benchmark cannot do this.)
 */
const LIVE = new Set<ChildProcess>();
function killLive(): void {
  // SIGKILL also ends a worker frozen with SIGSTOP (chaos --pauses).
  for (const c of LIVE) c.kill('SIGKILL');
  LIVE.clear();
}
let cleanupInstalled = false;
/** Installed with the first worker, not on import: only a process that starts workers changes its signal handling. */
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once('exit', killLive);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killLive();
      process.exit(130);
    });
  }
}

/**
 * One `bcbridge run` process, exactly as an operator starts it (bin/bcbridge.js, the real scheduler and
 * pipeline), with its CPU time and memory sampled from /proc while it lives.
 */
export class Worker {
  readonly pid: number;
  /** When the worker announced it was running (epoch ms). */
  readyAt = 0;
  readonly spawnedAt: number;
  private last: ProcUsage = { cpuSeconds: 0, mainThreadCpuSeconds: 0, peakRssMb: 0, rssMb: 0 };
  /** Resident memory over the worker's life, one sample a second: [ms since ready, MB]. */
  readonly rssTimeline: [number, number][] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly exit: Promise<number | null>;
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly log: WriteStream,
  ) {
    this.pid = child.pid!;
    this.spawnedAt = Date.now();
    LIVE.add(child);
    this.exit = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.exited = true;
        LIVE.delete(child);
        clearInterval(this.timer);
        resolve(code);
      }),
    );
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  static async start(o: WorkerOptions): Promise<Worker> {
    installCleanup();
    const env = { ...process.env };
    // The config file is the whole truth for a benchmark worker.
    delete env.DATABASE_URL;
    delete env.BCBRIDGE_CONFIG;
    const nodeArgs = [...(o.command ? [] : HEAP_ARGS), ...(o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`] : [])];
    const args = o.command ?? [BIN, '--config', o.configPath, 'run', '--port', String(o.port ?? 0), ...(o.runArgs ?? [])];
    const child = spawn(process.execPath, [...nodeArgs, ...args], {
      cwd: PACKAGE_ROOT,
      env,
      stdio: ['ignore', o.stdoutPath ? openSync(o.stdoutPath, 'w') : 'ignore', 'pipe'],
    });
    const ready = o.readyPattern ?? /bcbridge running/;
    const log = createWriteStream(o.logPath, { flags: 'a' });
    const w = new Worker(child, log);
    log.write(`--- worker pid ${w.pid} started ${new Date().toISOString()}\n`);
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(() => reject(new Error(`bcbridge run did not start within ${(o.readyTimeoutMs ?? 90_000) / 1000} s; see ${o.logPath}`)), o.readyTimeoutMs ?? 90_000);
      child.stderr!.on('data', (chunk: Buffer) => {
        log.write(chunk);
        if (w.readyAt) return;
        buffered += chunk.toString('utf8');
        if (ready.test(buffered)) {
          w.readyAt = Date.now();
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!w.readyAt) reject(new Error(`${o.command ? 'the process' : 'bcbridge run'} exited (${signal ?? code}) before it was ready; see ${o.logPath}`));
      });
    });
    return w;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** CPU and peak memory as last sampled (the final sample is taken right before the worker is stopped). */
  get usage(): ProcUsage {
    return { ...this.last };
  }

  /** Freezes the worker (SIGSTOP), as a long GC pause, a suspended VM or a stalled host would. */
  pause(): void {
    this.sample();
    if (!this.exited) this.child.kill('SIGSTOP');
  }

  /** Lets a paused worker run on (SIGCONT) — it does not know it was away. */
  resume(): void {
    if (!this.exited) this.child.kill('SIGCONT');
  }

  /** Ends the worker like a crash: SIGKILL, no chance to release leases or finish requests. */
  async kill(): Promise<void> {
    this.sample();
    if (!this.exited) this.child.kill('SIGKILL');
    await this.exit;
    this.log.end();
  }

  /** Resolves with the exit code when the process ends on its own (its usage is sampled until then). */
  finished(): Promise<number | null> {
    return this.exit;
  }

  /** Ends the worker like an operator: SIGTERM, it finishes the current round and exits. */
  async stop(timeoutMs = 60_000): Promise<number | null> {
    this.sample();
    if (!this.exited) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exit;
    clearTimeout(timer);
    this.log.end();
    return code;
  }

  private sample(): void {
    if (this.exited) return;
    const u = readProcUsage(this.pid);
    if (!u) return;
    this.last = { ...u, peakRssMb: Math.max(this.last.peakRssMb, u.peakRssMb) };
    const at = this.readyAt ? Date.now() - this.readyAt : 0;
    const prev = this.rssTimeline[this.rssTimeline.length - 1];
    if (this.readyAt && (!prev || at - prev[0] >= 1000)) this.rssTimeline.push([at, Math.round(u.rssMb)]);
  }
}
