/**
 * Order states and the one table of allowed transitions (DESIGN.md §1). Every state change in the store
 * is checked against this table and applied as a guarded update (`… where state = :from`).
 */
export const ORDER_STATES = [
  'received',
  'waiting',
  'ignored',
  'held',
  'ready',
  'exporting',
  'exported',
  'verified',
  'failed',
  'conflict',
  'fulfilled',
] as const;

export type OrderState = (typeof ORDER_STATES)[number];

export const TRANSITIONS: Readonly<Record<OrderState, readonly OrderState[]>> = {
  // A downloaded order is evaluated; a newer shop version of a not-yet-exported order resets it to received.
  received: ['received', 'waiting', 'ignored', 'held', 'ready'],
  waiting: ['received', 'waiting', 'ignored', 'held', 'ready'],
  ignored: ['received'],
  held: ['received', 'ignored'],
  ready: ['received', 'exporting', 'held', 'ignored'],
  // A claimed order ends exported, back to ready (retry later), held/failed (permanent BC rejection),
  // or straight to verified when the BC read-back is part of the create.
  exporting: ['exporting', 'ready', 'exported', 'verified', 'held', 'failed'],
  exported: ['verified', 'failed', 'conflict', 'exported'],
  verified: ['fulfilled', 'conflict'],
  // A person retries a failed order: back to received so it is evaluated against today's config, or to
  // exported when BC already has it and only verification failed.
  failed: ['received', 'exported', 'ignored'],
  // A person settles a conflict (src/pipeline/conflicts.ts): back where it came from, or ignored when cancelled in BC.
  conflict: ['verified', 'exported', 'ignored', 'fulfilled'],
  fulfilled: ['conflict'],
};

/** States in which an order may be in BC already: a newer shop version must not silently re-export it. */
export const IN_BC_STATES: readonly OrderState[] = ['exporting', 'exported', 'verified', 'conflict', 'fulfilled'];

/** States a person may send back through evaluation with `orders retry`. */
export const RETRYABLE_BY_PERSON: readonly OrderState[] = ['held', 'failed', 'ignored', 'waiting'];

/** States a person may skip (mark ignored) with `orders skip`. */
export const SKIPPABLE_BY_PERSON: readonly OrderState[] = ['received', 'waiting', 'held', 'ready', 'failed', 'conflict'];

export function canTransition(from: OrderState, to: OrderState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isOrderState(value: string): value is OrderState {
  return (ORDER_STATES as readonly string[]).includes(value);
}

export type Actor = 'scheduler' | 'webhook' | 'cli' | 'panel' | 'demo' | 'system' | `panel:${string}`;
