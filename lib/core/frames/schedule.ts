/**
 * Adaptive sampling (docs/decisions/0003-adaptive-sampling.md) as a pure state machine: the capture loop asks
 * `nextDelayMs(state, event)` after each sample and waits the returned delay before the next one.
 * The rate jumps to the maximum as soon as the scene changes (a scroll or a slide transition is followed to its
 * end), stays there for a short hold, then falls geometrically to the minimum while the picture stays still.
 */

export interface ScheduleOptions {
  minFps: number;
  maxFps: number;
  /** How long the maximum rate holds after the last change or question. Default 3000 ms. */
  holdMs?: number;
  /** Factor the interval grows by per unchanged sample once the hold is over. Default 1.5. */
  slowdown?: number;
}

export interface ScheduleState {
  minIntervalMs: number;
  maxIntervalMs: number;
  holdMs: number;
  slowdown: number;
  intervalMs: number;
  /** Last change or question (epoch ms); the hold counts from here. */
  activeAt: number;
}

export type ScheduleEvent =
  /** A sampled frame was compared with the last kept one. */
  | { type: 'frame'; now: number; changed: boolean }
  /** The user asked a question: they are engaged, a follow-up is likely. */
  | { type: 'asked'; now: number }
  /** The configured rates changed. */
  | { type: 'configure'; now: number; minFps: number; maxFps: number };

export interface ScheduleStep {
  state: ScheduleState;
  delayMs: number;
}

function intervals(minFps: number, maxFps: number): { minIntervalMs: number; maxIntervalMs: number } {
  const hi = Math.max(minFps, maxFps);
  const lo = Math.min(minFps, maxFps);
  if (!(lo > 0)) throw new Error(`schedule: frame rates must be positive (got ${minFps}, ${maxFps})`);
  return { minIntervalMs: 1000 / hi, maxIntervalMs: 1000 / lo };
}

/** A schedule that starts at the maximum rate (the first frames set the reference). */
export function createSchedule(opts: ScheduleOptions, now = 0): ScheduleState {
  const iv = intervals(opts.minFps, opts.maxFps);
  return {
    ...iv,
    holdMs: opts.holdMs ?? 3000,
    slowdown: Math.max(1, opts.slowdown ?? 1.5),
    intervalMs: iv.minIntervalMs,
    activeAt: now,
  };
}

const clamp = (s: ScheduleState, v: number) => Math.min(s.maxIntervalMs, Math.max(s.minIntervalMs, v));

export function nextDelayMs(state: ScheduleState, event: ScheduleEvent): ScheduleStep {
  let s = state;
  switch (event.type) {
    case 'frame':
      if (event.changed) s = { ...s, intervalMs: s.minIntervalMs, activeAt: event.now };
      else if (event.now - s.activeAt >= s.holdMs) s = { ...s, intervalMs: clamp(s, s.intervalMs * s.slowdown) };
      break;
    case 'asked':
      s = { ...s, intervalMs: s.minIntervalMs, activeAt: event.now };
      break;
    case 'configure': {
      s = { ...s, ...intervals(event.minFps, event.maxFps) };
      s = { ...s, intervalMs: clamp(s, s.intervalMs) };
      break;
    }
  }
  return { state: s, delayMs: s.intervalMs };
}
