/**
 * How many tabs.captureVisibleTab calls a second may be made. Pure: the caller passes the clock.
 * Chromium refuses a third call within a second (MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND = 2); Firefox
 * has no such limit (measured: 10 back-to-back calls, 4 to 16 ms each) but every call snapshots the page,
 * so Sightline caps it itself. Sampling leaves room for a question's frame, which is never refused.
 */

/** Chromium's own limit. */
export const CHROME_CAPTURES_PER_SECOND = 2;
/** Sightline's cap in Firefox: the highest sampling rate (5 fps) plus one question's frame. */
export const FIREFOX_CAPTURES_PER_SECOND = 6;

const WINDOW_MS = 1000;

export class CaptureBudget {
  private readonly perSecond: number;
  private calls: number[] = [];

  constructor(perSecond: number) {
    if (!(perSecond >= 1)) throw new Error(`capture budget: at least one call a second (got ${perSecond})`);
    this.perSecond = perSecond;
  }

  /**
   * Milliseconds to wait before a call fits in the budget (0: now). `reserve` calls are kept free for
   * questions: sampling passes 1, a question's frame 0.
   */
  waitMs(now: number, reserve = 0): number {
    this.forget(now);
    const allowed = Math.max(0, this.perSecond - reserve);
    if (this.calls.length < allowed) return 0;
    if (allowed === 0) return Infinity;
    // The call that must leave the window before one more fits.
    return this.calls[this.calls.length - allowed]! + WINDOW_MS - now;
  }

  record(now: number): void {
    this.forget(now);
    this.calls.push(now);
  }

  private forget(now: number): void {
    while (this.calls.length > 0 && this.calls[0]! <= now - WINDOW_MS) this.calls.shift();
  }
}
