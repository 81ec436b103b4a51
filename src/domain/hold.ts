/**
 * Why an order cannot go on, in the words an operator needs (guarantee 4): a stable code to filter on,
 * a sentence naming the offending value, and how to fix it.
 */
export interface HoldReason {
  code: string;
  reason: string;
  hint: string;
}

export function hold(code: string, reason: string, hint: string): HoldReason {
  return { code, reason, hint };
}
