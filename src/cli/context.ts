import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { loadConfig, processEnv } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { collectSecrets, scrub } from '../config/redact.js';
import { ConfigError, errorMessage } from '../domain/errors.js';
import { createLogger } from '../log/logger.js';
import { createRuntime, type Runtime } from '../pipeline/runtime.js';

export const EXIT = { ok: 0, problems: 1, badConfig: 2, held: 3 } as const;

export interface GlobalOptions {
  config?: string;
  logLevel?: string;
}

/** The config file: --config, else BCBRIDGE_CONFIG, else ./bcbridge.yaml. */
export function configPath(opts: GlobalOptions): string {
  return opts.config ?? processEnv().BCBRIDGE_CONFIG ?? 'bcbridge.yaml';
}

export function readConfig(opts: GlobalOptions): Config {
  const path = configPath(opts);
  if (!existsSync(path)) {
    throw new ConfigError([`${path}: not found. Copy bcbridge.example.yaml to ${path} and fill it in, or pass --config FILE.`]);
  }
  return loadConfig(path);
}

export async function withRuntime<T>(opts: GlobalOptions, fn: (rt: Runtime, log: Logger) => Promise<T>): Promise<T> {
  const config = readConfig(opts);
  const log = createLogger(opts.logLevel ?? config.log.level);
  const rt = await createRuntime(config, { log });
  try {
    return await fn(rt, log);
  } finally {
    await rt.close();
  }
}

/** Turns any error into a message and exit code; secrets from the config are scrubbed out of it. */
export function reportError(err: unknown, secrets: string[] = []): number {
  if (err instanceof ConfigError) {
    process.stderr.write(scrub(err.message, secrets) + '\n');
    return EXIT.badConfig;
  }
  process.stderr.write(`bcbridge: ${scrub(errorMessage(err), secrets)}\n`);
  return EXIT.problems;
}

export function secretsOf(opts: GlobalOptions): string[] {
  try {
    return collectSecrets(readConfig(opts));
  } catch {
    return [];
  }
}
