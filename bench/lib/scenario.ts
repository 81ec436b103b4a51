import type { BenchDatabaseKind } from './database.js';
import type { BenchResult } from './result.js';

export interface ScenarioOptions {
  /** Orders (scenario default when omitted). */
  orders?: number;
  /** The CI-sized variant: small, checks correctness, its timings mean nothing. */
  smoke: boolean;
  /** Databases to run on (scenarios that support several). */
  databases?: BenchDatabaseKind[];
  /** PostgreSQL server for `postgres` runs (a database is created and dropped on it). */
  pgAdminUrl?: string;
  /** chaos: SIGKILLs during export. */
  kills?: number;
  /** chaos: workers frozen (SIGSTOP) past their lease while holding orders, then resumed (SIGCONT). */
  pauses?: number;
  /** Keep each run's database, config and worker log (their directory is printed) instead of deleting them. */
  keep?: boolean;
  /** Workers write V8 CPU profiles here (node --cpu-prof), for finding where the time goes. */
  profileDir?: string;
  /** Progress for a person watching (stderr). */
  progress: (line: string) => void;
}

export interface Scenario {
  name: string;
  description: string;
  run(o: ScenarioOptions): Promise<BenchResult[]>;
}
