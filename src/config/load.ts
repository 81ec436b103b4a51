import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../domain/errors.js';
import { configSchema, type Config } from './schema.js';

export type Env = Record<string, string | undefined>;

/** The only place bcbridge reads process.env (DESIGN.md conventions). */
export function processEnv(): Env {
  return process.env;
}

/**
 * Loads and validates a config file (YAML or JSON). `${NAME}` in any string value is replaced by the
 * environment variable NAME; a missing variable is a problem reported with the path that needed it.
 * DATABASE_URL in the environment overrides database.url. All problems are reported at once.
 */
export function loadConfig(path: string, env: Env = processEnv()): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`], { cause: err });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError([`${path}: is not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`], { cause: err });
  }
  return parseConfig(raw, env);
}

export function parseConfig(raw: unknown, env: Env = processEnv()): Config {
  const problems: string[] = [];
  const resolved = substituteEnv(raw, [], env, problems);
  if (resolved && typeof resolved === 'object' && env.DATABASE_URL) {
    const r = resolved as Record<string, unknown>;
    r.database = { ...(r.database as object | undefined), url: env.DATABASE_URL };
  }
  const result = configSchema.safeParse(resolved ?? {});
  if (!result.success) problems.push(...formatIssues(result.error.issues));
  if (problems.length > 0) throw new ConfigError(problems);
  return result.data as Config;
}

function substituteEnv(value: unknown, path: (string | number)[], env: Env, problems: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Z0-9_]+)\}/gi, (_m, name: string) => {
      const v = env[name];
      if (v === undefined || v === '') {
        problems.push(`${formatPath(path)}: environment variable ${name} is not set`);
        return '';
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, [...path, i], env, problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnv(v, [...path, k], env, problems)]));
  }
  return value;
}

function formatIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'invalid_type' && /received undefined/.test(message)) message = 'is required';
    if (issue.code === 'unrecognized_keys') message = `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${formatPath(issue.path as (string | number)[])}: ${message}`;
  });
}

export function formatPath(path: readonly (string | number | symbol)[]): string {
  if (path.length === 0) return '(config)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}
