/** What one run of a stage did: printed by the CLI, stored in `runs`, shown in status. */
export interface StageResult {
  stage: 'pull' | 'evaluate' | 'export' | 'verify' | 'writeback' | 'conflicts';
  shop?: string;
  counts: Record<string, number>;
  /** Orders that ended failed/held in this run (exit code 1 for the CLI). */
  problems: number;
  errors: string[];
}

export function emptyResult(stage: StageResult['stage'], shop?: string): StageResult {
  return { stage, shop, counts: {}, problems: 0, errors: [] };
}

export function bump(result: StageResult, key: string, by = 1): void {
  result.counts[key] = (result.counts[key] ?? 0) + by;
}
