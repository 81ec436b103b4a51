/**
 * Modification stamps in whole seconds that never go backwards. A burst of new orders shares seconds
 * (a few orders a second), as on a busy shop, so a client polling by modification date has to page
 * within one second; any other change gets a second of its own.
 */
export class StampClock {
  private last = 0;
  private inSecond = 0;

  constructor(private now: () => number, private ordersPerSecond: number) {}

  /** Epoch seconds: the wall clock, or the last stamp when a burst has run ahead of it. */
  nowSec(): number {
    return Math.max(Math.floor(this.now() / 1000), this.last);
  }

  /** The stamp for a new version: now, or the last stamp while it still has room, never earlier. */
  stamp(shareSecond: boolean): number {
    const wall = Math.floor(this.now() / 1000);
    if (wall > this.last) {
      this.last = wall;
      this.inSecond = 1;
    } else if (shareSecond && this.inSecond < this.ordersPerSecond) {
      this.inSecond++;
    } else {
      this.last++;
      this.inSecond = 1;
    }
    return this.last;
  }
}
