import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIRST_FRAME_CHECKS_MS, watchFirstFrame } from '../../lib/capture/page/first-frame.ts';

describe('watchFirstFrame: a capture with no picture soon after it starts asks for a fresh frame', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks at each check while there is no picture, and no more after the last', () => {
    const refresh = vi.fn();
    watchFirstFrame({ hasPicture: () => false, refresh });
    vi.advanceTimersByTime(FIRST_FRAME_CHECKS_MS[0]! - 1);
    expect(refresh).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(refresh).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(FIRST_FRAME_CHECKS_MS.reduce((a, b) => a + b, 0) * 2);
    expect(refresh).toHaveBeenCalledTimes(FIRST_FRAME_CHECKS_MS.length);
  });

  it('stops asking once a picture was sampled', () => {
    const refresh = vi.fn();
    let pictured = false;
    watchFirstFrame({ hasPicture: () => pictured, refresh, delaysMs: [1000, 2000, 4000] });
    vi.advanceTimersByTime(1000);
    expect(refresh).toHaveBeenCalledTimes(1);
    pictured = true;
    vi.advanceTimersByTime(10_000);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('never asks when the first frame came in time', () => {
    const refresh = vi.fn();
    watchFirstFrame({ hasPicture: () => true, refresh });
    vi.advanceTimersByTime(60_000);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('asks no more once the capture stopped', () => {
    const refresh = vi.fn();
    const stop = watchFirstFrame({ hasPicture: () => false, refresh, delaysMs: [1000, 2000] });
    vi.advanceTimersByTime(1000);
    stop();
    vi.advanceTimersByTime(10_000);
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});
