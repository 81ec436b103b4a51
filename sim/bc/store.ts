import { nowIso, randomSalt } from './ids.js';
import { seedEnvironment } from './seed.js';
import type { Company, Environment, Row } from './types.js';

/**
 * Undo log for `$batch` with `Isolation: snapshot` (bc-api.md §1.7): every mutation made while a
 * journal is active records its inverse, so a failing inner request rolls the whole batch back.
 * Handlers run synchronously, so no other request can interleave with an open journal.
 */
export class Journal {
  private undo: (() => void)[] = [];
  record(fn: () => void): void {
    this.undo.push(fn);
  }
  rollback(): void {
    for (let i = this.undo.length - 1; i >= 0; i--) this.undo[i]!();
    this.undo = [];
  }
}

/** In-memory state of all environments of the simulated tenant. */
export class World {
  readonly salt = randomSalt();
  envs = new Map<string, Environment>();

  constructor(
    readonly environments: string[],
    readonly companyNames: string[],
  ) {
    this.reset();
  }

  reset(): void {
    const at = nowIso();
    this.envs = new Map(this.environments.map((e) => [e, seedEnvironment(this.salt, e, this.companyNames, at)]));
  }

  /** Environment names in BC URLs are matched without regard to case ("Production" = "production"). */
  env(name: string): Environment | undefined {
    const lower = name.toLowerCase();
    for (const [k, v] of this.envs) if (k.toLowerCase() === lower) return v;
    return undefined;
  }

  companyById(env: Environment, id: string): Company | undefined {
    const lower = id.toLowerCase();
    return env.companies.find((c) => c.row.data.id === lower);
  }

  companyByName(env: Environment, name: string): Company | undefined {
    return env.companies.find((c) => c.row.data.name === name);
  }
}

// --- mutations that know how to undo themselves ---

export function pushRow<T extends Row>(list: T[], row: T, tx: Journal | null): void {
  list.push(row);
  tx?.record(() => {
    const i = list.indexOf(row);
    if (i >= 0) list.splice(i, 1);
  });
}

export function removeRow<T extends Row>(list: T[], row: T, tx: Journal | null): void {
  const i = list.indexOf(row);
  if (i < 0) return;
  list.splice(i, 1);
  tx?.record(() => list.splice(i, 0, row));
}

/** Replaces a row's fields and bumps its version (→ new ETag). */
export function writeRow(row: Row, data: Row['data'], tx: Journal | null): void {
  const before = { data: row.data, version: row.version };
  row.data = data;
  row.version += 1;
  tx?.record(() => {
    row.data = before.data;
    row.version = before.version;
  });
}

export function nextNumber(series: Record<string, number>, key: string, step: number, tx: Journal | null): number {
  const before = series[key]!;
  series[key] = before + step;
  tx?.record(() => {
    series[key] = before;
  });
  return series[key]!;
}
