/**
 * A capture whose <video> has shown no picture soon after it started asks its track for a fresh frame.
 *
 * Measured (Chromium 156, offscreen document, 2-core machine with ~80 vitest workers starting beside it): once in
 * six shares of a static tab, the offscreen <video> stayed at videoWidth 0 and readyState 0 for the whole 18 s
 * watched, so the sampler never had a frame and the panel no thumbnail. That sink never got the first tab frame
 * (lost, or sent before it could take it), and a tab that does not repaint sends no other. A clone of the track
 * played on a second <video> (a new sink) made Chrome send a refresh frame: the clone had its picture (894x704)
 * within the second, where the first <video> had had none for 18 s; and on a shared static tab, the first
 * <video>'s decoded frames went from 1 to 2 when the clone's sink was added (1 s before it, idle: still 1), so the
 * other sinks get the refresh frame too (two more <video>s of the same track, one never played: 1 to 3). With
 * this, 23 of 23 shares under the same load had their thumbnail within 1.3 s (before: 1 of 6 had none).
 */

/** After starting, the waits (ms) before each check for a picture; each check that finds none asks for a frame. */
export const FIRST_FRAME_CHECKS_MS = [1000, 2000, 4000, 8000];

/** How long a refresh sink is kept before it is taken down if it shows nothing itself (ms). */
const REFRESH_SINK_MS = 1000;

export interface FirstFrameWatchOptions {
  /** Whether the capture has a picture yet (a frame on its <video>, and not only a black one). */
  hasPicture: () => boolean;
  /** Asks the source for a fresh frame. */
  refresh: () => void;
  delaysMs?: number[];
}

/** Checks for a picture after each delay in turn, asking for a fresh frame while there is none. Returns a stop. */
export function watchFirstFrame(opts: FirstFrameWatchOptions): () => void {
  const delays = opts.delaysMs ?? FIRST_FRAME_CHECKS_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let step = 0;
  const next = () => {
    if (step >= delays.length) return;
    timer = setTimeout(() => {
      step++;
      if (opts.hasPicture()) return;
      opts.refresh();
      next();
    }, delays[step]);
  };
  next();
  return () => clearTimeout(timer);
}

/**
 * Makes Chrome send the track's current picture again: a clone of the track played on a hidden <video> is a new
 * sink, and a new sink gets a refresh frame, which the track's other sinks get too. The clone is stopped once its
 * <video> has a picture, or after a second.
 */
export function requestFreshFrame(track: MediaStreamTrack, parent: HTMLElement = document.body): void {
  const clone = track.clone();
  const sink = document.createElement('video');
  sink.muted = true;
  sink.playsInline = true;
  sink.setAttribute('aria-hidden', 'true');
  sink.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;opacity:0;pointer-events:none';
  sink.srcObject = new MediaStream([clone]);
  let done = false;
  const end = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    clone.stop();
    sink.srcObject = null;
    sink.remove();
  };
  const timer = setTimeout(end, REFRESH_SINK_MS);
  // Kept until it has shown the frame: taken down at once, the sink might go before Chrome sends it.
  sink.addEventListener('loadeddata', () => setTimeout(end, 100), { once: true });
  parent.append(sink);
  sink.play().catch(() => {});
}

/** A question asked before the share has shown its first picture waits up to this long for it (ms). */
export const QUESTION_PICTURE_WAIT_MS = 2000;

/** The part of a <video> waitForPicture uses (an HTMLVideoElement; a fake in tests). */
export interface PictureSink {
  readonly videoWidth: number;
  addEventListener(type: 'loadeddata' | 'resize', listener: () => void): void;
  removeEventListener(type: 'loadeddata' | 'resize', listener: () => void): void;
}

/**
 * Resolves true as soon as `video` shows a picture (videoWidth > 0), asking for a fresh frame once with
 * `refresh` when it has none yet; false after `waitMs`. Why: a person who presses Share and asks at once on a
 * loaded machine asked before the tab's first frame reached the <video> (a CI run with two test suites side by
 * side, Nov 30: the question went without a picture); the answer should see what they shared.
 */
export function waitForPicture(video: PictureSink, refresh: () => void, waitMs = QUESTION_PICTURE_WAIT_MS): Promise<boolean> {
  if (video.videoWidth > 0) return Promise.resolve(true);
  refresh();
  return new Promise((resolve) => {
    const check = () => {
      if (video.videoWidth > 0) finish(true);
    };
    const finish = (shown: boolean) => {
      clearTimeout(timer);
      video.removeEventListener('loadeddata', check);
      video.removeEventListener('resize', check);
      resolve(shown);
    };
    const timer = setTimeout(() => finish(video.videoWidth > 0), waitMs);
    video.addEventListener('loadeddata', check);
    video.addEventListener('resize', check);
  });
}
