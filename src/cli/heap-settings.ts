/**
 * The V8 heap settings a bcbridge process runs with, against what docs/configuration.md ("Memory") recommends:
 * `bcbridge doctor` shows them, since they set how much CPU goes to garbage collection and how much memory the
 * worker holds (docs/performance.md, ninth pass).
 */
export const RECOMMENDED_HEAP = { oldSpaceMb: 1536, semiSpaceMb: 32 } as const;

/** The recommendation as node options; `bcbridge bench` starts its workers with them (bench/lib/worker.ts). */
export const RECOMMENDED_NODE_ARGS = [`--max-old-space-size=${RECOMMENDED_HEAP.oldSpaceMb}`, `--max-semi-space-size=${RECOMMENDED_HEAP.semiSpaceMb}`];
export const RECOMMENDED_NODE_OPTIONS = RECOMMENDED_NODE_ARGS.join(' ');

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
  // Node accepts V8 flags with `_` or `-`; a later one wins.
  const flags = [...(nodeOptions ?? '').split(/\s+/).filter(Boolean), ...execArgv].map((f) => f.replace(/_/g, '-'));
  const value = (name: string): number | undefined => {
    const prefix = `--${name}=`;
    const last = flags.findLast((f) => f.startsWith(prefix) && /^\d+$/.test(f.slice(prefix.length)));
    return last === undefined ? undefined : Number(last.slice(prefix.length));
  };
  const oldSpaceMb = value('max-old-space-size');
  const semiSpaceMb = value('max-semi-space-size');
  return {
    limitMb: Math.round(heapLimitBytes / 1024 / 1024),
    ...(oldSpaceMb !== undefined && { oldSpaceMb }),
    ...(semiSpaceMb !== undefined && { semiSpaceMb }),
    asRecommended: (oldSpaceMb ?? 0) >= RECOMMENDED_HEAP.oldSpaceMb && (semiSpaceMb ?? 0) >= RECOMMENDED_HEAP.semiSpaceMb,
  };
}

/** One line for `bcbridge doctor`. */
export function describeHeap(h: HeapSettings): string {
  const given = [h.oldSpaceMb !== undefined ? `--max-old-space-size=${h.oldSpaceMb}` : '', h.semiSpaceMb !== undefined ? `--max-semi-space-size=${h.semiSpaceMb}` : ''].filter(Boolean);
  const now = `heap limit ${h.limitMb} MB${given.length ? ` (${given.join(' ')})` : " (Node's defaults)"}`;
  return h.asRecommended ? now : `${now}; for the service, NODE_OPTIONS="${RECOMMENDED_NODE_OPTIONS}" spends less CPU on garbage collection (docs/configuration.md "Memory")`;
}
