import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createSchedule, nextDelayMs, type ScheduleEvent, type ScheduleState } from '../../lib/core/frames/schedule.ts';

/** Runs a scene through the schedule: `changedAt(t)` says whether the frame sampled at t differs. */
function simulate(state: ScheduleState, fromMs: number, toMs: number, changedAt: (t: number) => boolean) {
  const delays: Array<{ t: number; delay: number }> = [];
  let s = state;
  let t = fromMs;
  while (t < toMs) {
    const step = nextDelayMs(s, { type: 'frame', now: t, changed: changedAt(t) });
    s = step.state;
    delays.push({ t, delay: step.delayMs });
    t += step.delayMs;
  }
  return { state: s, delays };
}

describe('adaptive sampling schedule', () => {
  const opts = { minFps: 0.2, maxFps: 4 };

  it('slows down to the minimum rate while the scene stays still', () => {
    const { delays } = simulate(createSchedule(opts, 0), 0, 60_000, () => false);
    const d = delays.map((x) => x.delay);
    expect(d[0]).toBe(250);
    for (let i = 1; i < d.length; i++) expect(d[i]!).toBeGreaterThanOrEqual(d[i - 1]!);
    expect(d.at(-1)).toBe(5000);
    // Far fewer samples than a fixed 4 fps, and the minimum is reached within about 20 s.
    expect(delays.length).toBeLessThan(40);
    expect(delays.find((x) => x.delay === 5000)!.t).toBeLessThan(20_000);
  });

  it('jumps to the maximum rate as soon as a change is seen and holds it while the scene keeps changing', () => {
    let s = simulate(createSchedule(opts, 0), 0, 60_000, () => false).state;
    const step = nextDelayMs(s, { type: 'frame', now: 60_000, changed: true });
    expect(step.delayMs).toBe(250);
    s = step.state;
    const moving = simulate(s, 60_250, 70_000, () => true);
    expect(moving.delays.every((x) => x.delay === 250)).toBe(true);
    // The hold: still frames right after a change keep the maximum rate for 3 s.
    const after = simulate(moving.state, 70_000, 80_000, () => false);
    const lastChange = moving.delays.at(-1)!.t;
    const held = after.delays.filter((x) => x.t < lastChange + 3000);
    expect(held.length).toBeGreaterThan(8);
    expect(held.every((x) => x.delay === 250)).toBe(true);
    expect(after.delays.at(-1)!.delay).toBeGreaterThan(250);
  });

  it('samples at the maximum rate after a question, then slows down again while nothing changes', () => {
    const still = simulate(createSchedule(opts, 0), 0, 60_000, () => false).state;
    const asked = nextDelayMs(still, { type: 'asked', now: 60_000 });
    expect(asked.delayMs).toBe(250);
    const after = simulate(asked.state, 60_000, 90_000, () => false);
    expect(after.delays.at(-1)!.delay).toBeGreaterThan(250);
  });

  it('follows new configured rates', () => {
    const s = createSchedule(opts, 0);
    const step = nextDelayMs(s, { type: 'configure', now: 0, minFps: 1, maxFps: 2 });
    expect(step.delayMs).toBe(500);
    const still = simulate(step.state, 0, 60_000, () => false);
    expect(still.delays.at(-1)!.delay).toBe(1000);
  });

  it('never leaves the configured range, whatever happens', () => {
    const event = fc.oneof(
      fc.record({ type: fc.constant('frame' as const), dt: fc.nat(20_000), changed: fc.boolean() }),
      fc.record({ type: fc.constant('asked' as const), dt: fc.nat(20_000) }),
    );
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 5, noNaN: true }), fc.double({ min: 0.2, max: 5, noNaN: true }), fc.array(event, { maxLength: 80 }), (a, b, evs) => {
        let s = createSchedule({ minFps: a, maxFps: b }, 0);
        let now = 0;
        for (const e of evs) {
          now += e.dt;
          const ev: ScheduleEvent = e.type === 'asked' ? { type: 'asked', now } : { type: 'frame', now, changed: e.changed };
          const step = nextDelayMs(s, ev);
          s = step.state;
          expect(step.delayMs).toBeGreaterThanOrEqual(1000 / Math.max(a, b) - 1e-9);
          expect(step.delayMs).toBeLessThanOrEqual(1000 / Math.min(a, b) + 1e-9);
        }
      }),
    );
  });
});
