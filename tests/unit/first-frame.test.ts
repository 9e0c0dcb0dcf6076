import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIRST_FRAME_CHECKS_MS, QUESTION_PICTURE_WAIT_MS, waitForPicture, watchFirstFrame, type PictureSink } from '../../lib/capture/page/first-frame.ts';

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

/** A <video> stand-in: its size, and the listeners attached now. */
function fakeVideo(videoWidth = 0) {
  const listeners = new Set<() => void>();
  const video: PictureSink & { videoWidth: number; show(): void; listeners: Set<() => void> } = {
    videoWidth,
    listeners,
    addEventListener: (_type, l) => void listeners.add(l),
    removeEventListener: (_type, l) => void listeners.delete(l),
    show() {
      this.videoWidth = 640;
      for (const l of [...listeners]) l();
    },
  };
  return video;
}

describe('waitForPicture: a question asked before the first picture waits for it', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('goes at once, asking for nothing, when the video shows a picture', async () => {
    const refresh = vi.fn();
    await expect(waitForPicture(fakeVideo(1280), refresh)).resolves.toBe(true);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('asks for a fresh frame once and goes when the picture comes', async () => {
    const refresh = vi.fn();
    const video = fakeVideo();
    const waiting = waitForPicture(video, refresh);
    expect(refresh).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(300);
    video.show();
    await expect(waiting).resolves.toBe(true);
    expect(video.listeners.size).toBe(0);
  });

  it('gives up after the wait, so the question still goes (without a picture)', async () => {
    const video = fakeVideo();
    const waiting = waitForPicture(video, () => {});
    vi.advanceTimersByTime(QUESTION_PICTURE_WAIT_MS);
    await expect(waiting).resolves.toBe(false);
    expect(video.listeners.size).toBe(0);
  });
});
