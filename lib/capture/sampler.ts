/**
 * Samples frames from a playing <video> at a (possibly adaptive) rate and hands encoded JPEGs on.
 * Runs in the offscreen document (Chrome) or a visible extension page (Firefox camera/screen).
 * requestAnimationFrame never fires in offscreen documents, so timing is plain setTimeout.
 */
import type { CaptureSettings, FramePayload } from '../protocol/messages.ts';
import { fitWithin } from '../frames/size.ts';
import type { FrameEncoder } from './encoder.ts';

export interface SamplerHooks {
  onFrame: (frame: FramePayload) => void;
  /** A sampled frame was dropped as unchanged (counted for the cost meter). */
  onDropped?: () => void;
  onError?: (err: Error) => void;
}

export class NoFrameError extends Error {
  constructor() {
    super('No frame yet: the shared source has not shown anything.');
  }
}

export class FrameSampler {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private paused = false;
  private running = false;
  private video: HTMLVideoElement;
  private encoder: FrameEncoder;
  private settings: CaptureSettings;
  private hooks: SamplerHooks;

  constructor(video: HTMLVideoElement, encoder: FrameEncoder, settings: CaptureSettings, hooks: SamplerHooks) {
    this.video = video;
    this.encoder = encoder;
    this.settings = settings;
    this.hooks = hooks;
  }

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  setRate(fps: number): void {
    this.settings = { ...this.settings, fps };
    if (this.running) {
      clearTimeout(this.timer);
      this.schedule(1000 / fps);
    }
  }

  /** A frame of what is on screen right now, always encoded (no change detection). */
  async grab(maxSide = this.settings.maxSide, quality = this.settings.quality): Promise<FramePayload> {
    const capturedAt = Date.now();
    const bitmap = await this.bitmap(maxSide);
    const res = await this.encoder.encode(bitmap, quality, false);
    if (res.kind !== 'encoded') throw new Error('encoder skipped a forced frame');
    const { data, width, height, meanLuma, encodeMs } = res;
    return { capturedAt, data, width, height, meanLuma, encodeMs };
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    const started = performance.now();
    // Never queue frames: if the encoder is still busy, this tick is skipped.
    if (!this.paused && this.encoder.busy === 0 && this.video.videoWidth > 0) {
      try {
        const capturedAt = Date.now();
        const bitmap = await this.bitmap(this.settings.maxSide);
        const res = await this.encoder.encode(bitmap, this.settings.quality, true);
        if (res.kind === 'encoded') {
          const { data, width, height, meanLuma, encodeMs } = res;
          this.hooks.onFrame({ capturedAt, data, width, height, meanLuma, encodeMs });
        } else {
          this.hooks.onDropped?.();
        }
      } catch (err) {
        this.hooks.onError?.(err as Error);
      }
    }
    const interval = 1000 / this.settings.fps;
    if (this.running) this.schedule(Math.max(0, interval - (performance.now() - started)));
  }

  private bitmap(maxSide: number): Promise<ImageBitmap> {
    const { videoWidth, videoHeight } = this.video;
    if (!videoWidth || !videoHeight) return Promise.reject(new NoFrameError());
    const size = fitWithin(videoWidth, videoHeight, maxSide);
    return createImageBitmap(this.video, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'medium' });
  }
}
