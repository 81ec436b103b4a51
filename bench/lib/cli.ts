import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/cli/sim-process.js';

/** Runs a bcbridge command as an operator would (a separate process); throws with its output on a non-zero exit. */
export function bcbridgeCli(args: string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    delete env.BCBRIDGE_CONFIG;
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'bcbridge.js'), ...args], { cwd: PACKAGE_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`bcbridge ${args.join(' ')} exited ${code}: ${err || out}`));
    });
  });
}
