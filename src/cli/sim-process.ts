import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

/**
 * The package root (bin/, src/, sim/ live under it): the nearest directory above this module with a
 * package.json. Found by walking up, since this module runs from src/cli/ and, compiled, from dist/src/cli/.
 */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`bcbridge: no package.json above ${from}`);
  }
}

export interface SimEndpoints {
  bc: { url: string; tokenUrl: string; tenant: string };
  /** Shop simulators by platform. */
  shops: Record<string, { url: string }>;
}

export interface SimProcess {
  endpoints: SimEndpoints;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the simulators as a separate process (production code never imports sim/, DESIGN.md §6) and
 * waits for the line announcing their URLs.
 */
export async function startSimProcess(args: string[] = []): Promise<SimProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PACKAGE_ROOT, 'sim', 'main.ts'), '--json', '--exit-with-parent', ...args], {
    cwd: PACKAGE_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const endpoints = await new Promise<SimEndpoints>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error('the simulators did not start within 60 s')), 60_000);
    rl.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as SimEndpoints);
      } catch {
        reject(new Error(`unexpected simulator output: ${line}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulators exited with code ${code}`));
    });
  });
  return {
    endpoints,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}
