/**
 * The V8 heap settings a bcbridge process runs with, against what docs/configuration.md ("Memory") recommends:
 * `bcbridge doctor` shows them, since they set how much CPU goes to garbage collection and how much memory the
 * worker holds (docs/performance.md, ninth pass).
 */
export const RECOMMENDED_NODE_OPTIONS = '--max-old-space-size=1536 --max-semi-space-size=32';

export interface HeapSettings {
  /** V8's heap limit (old and young generation), MB. */
  limitMb: number;
  /** `--max-old-space-size` as given (MB), when given. */
  oldSpaceMb?: number;
  /** `--max-semi-space-size` as given (MB), when given. */
  semiSpaceMb?: number;
  /** Both set at least as high as recommended. */
  asRecommended: boolean;
}

/** Reads the flags from the command line's node options and NODE_OPTIONS (a later one wins, as in Node). */
export function heapSettings(execArgv: readonly string[], nodeOptions: string | undefined, heapLimitBytes: number): HeapSettings {
  const flags = [...(nodeOptions ?? '').split(/\s+/).filter(Boolean), ...execArgv];
  const value = (name: string): number | undefined => {
    let found: number | undefined;
    for (const f of flags) {
      const m = new RegExp(`^--${name}[=](\\d+)$`).exec(f.replace(/_/g, '-'));
      if (m) found = Number(m[1]);
    }
    return found;
  };
  const oldSpaceMb = value('max-old-space-size');
  const semiSpaceMb = value('max-semi-space-size');
  return {
    limitMb: Math.round(heapLimitBytes / 1024 / 1024),
    ...(oldSpaceMb !== undefined && { oldSpaceMb }),
    ...(semiSpaceMb !== undefined && { semiSpaceMb }),
    asRecommended: (oldSpaceMb ?? 0) >= 1536 && (semiSpaceMb ?? 0) >= 32,
  };
}

/** One line for `bcbridge doctor`. */
export function describeHeap(h: HeapSettings): string {
  const given = [h.oldSpaceMb !== undefined ? `--max-old-space-size=${h.oldSpaceMb}` : '', h.semiSpaceMb !== undefined ? `--max-semi-space-size=${h.semiSpaceMb}` : ''].filter(Boolean);
  const now = `heap limit ${h.limitMb} MB${given.length ? ` (${given.join(' ')})` : " (Node's defaults)"}`;
  return h.asRecommended ? now : `${now}; for the service, NODE_OPTIONS="${RECOMMENDED_NODE_OPTIONS}" spends less CPU on garbage collection (docs/configuration.md "Memory")`;
}
