/** API requests a simulator has served, by answer status ('200', '429', …) or by fault ('reset', 'timeout'). */
import type { ServerResponse } from 'node:http';

export interface StatsView {
  requests: number;
  byStatus: Record<string, number>;
}

export class RequestStats {
  private requests = 0;
  private byStatus: Record<string, number> = {};

  /** Counts one API request, and its status once it is answered. */
  begin(res: ServerResponse): void {
    this.requests += 1;
    res.on('finish', () => this.count(String(res.statusCode)));
  }

  count(key: string): void {
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
  }

  /** A copy: later requests do not change it. */
  view(): StatsView {
    return { requests: this.requests, byStatus: { ...this.byStatus } };
  }
}
