/**
 * Samples frames from a FrameSource on an adaptive schedule and hands kept JPEGs on.
 * Runs in the offscreen document (Chrome), a visible extension page (Firefox camera/screen) or Firefox's
 * background page (tab). requestAnimationFrame never fires in offscreen documents: timing is plain setTimeout.
 */
import type { CaptureSettings, FramePayload } from '../../protocol/messages.ts';
import { NoFrameError, pictureSize, type FrameSource } from './frame-source.ts';
import { createSchedule, nextDelayMs, type ScheduleEvent, type ScheduleState } from '../../core/frames/schedule.ts';
import type { EncodeResult, FrameEncoder } from './encoder.ts';
import type { Region } from '../../core/frames/redaction.ts';
import { regionsInCrop, SCALED_CROP_MARGIN_PX } from '../../core/region/crop.ts';

export interface SamplerHooks {
  onFrame: (frame: FramePayload) => void;
  /** A sampled frame was dropped as unchanged (counted for the cost meter). */
  onDropped?: () => void;
  onError?: (err: Error) => void;
}

export { NoFrameError };

export class FrameSampler {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private paused = false;
  private running = false;
  private source: FrameSource;
  private encoder: FrameEncoder;
  private settings: CaptureSettings;
  private hooks: SamplerHooks;
  private schedule: ScheduleState;
  private redactionEpoch = 0;
  /** capturedAt of the frame the encoder's change detector holds as its reference (the last frame kept). */
  private referenceAt: number | undefined;

  constructor(source: FrameSource, encoder: FrameEncoder, settings: CaptureSettings, hooks: SamplerHooks) {
    this.source = source;
    this.encoder = encoder;
    this.settings = settings;
    this.hooks = hooks;
    this.schedule = createSchedule({ minFps: settings.minFps, maxFps: settings.fps }, Date.now());
  }

  start(): void {
    this.running = true;
    this.wait(0);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  /**
   * Hidden regions apply from the next frame on (sampled or grabbed). A frame being encoded with the old
   * regions is thrown away, so nothing hidden leaves after the change is acknowledged.
   */
  setRedactions(redactions: Region[]): void {
    this.settings = { ...this.settings, redactions };
    this.redactionEpoch++;
  }

  setRate(fps: number, minFps = Math.min(this.settings.minFps, fps)): void {
    this.settings = { ...this.settings, fps, minFps };
    this.reschedule({ type: 'configure', now: Date.now(), minFps, maxFps: fps });
  }

  /**
   * A frame of what is shown right now, always encoded; sampling speeds up (a follow-up is likely). With `crop`,
   * only that region (fractions) at full resolution up to maxSide, hidden regions black in it.
   */
  async grab(maxSide = this.settings.maxSide, quality = this.settings.quality, crop?: Region): Promise<FramePayload> {
    const mode = crop ? 'crop' : 'force';
    let capturedAt = Date.now();
    let epoch = this.redactionEpoch;
    let res = await this.encode(maxSide, quality, mode, crop);
    if (epoch !== this.redactionEpoch) {
      // The hidden regions changed while this frame was encoded: take it again with the new ones.
      capturedAt = Date.now();
      epoch = this.redactionEpoch;
      res = await this.encode(maxSide, quality, mode, crop);
      if (epoch !== this.redactionEpoch) throw new Error('The hidden regions changed while the frame was taken; ask again.');
    }
    if (res?.kind !== 'encoded') throw new Error('encoder skipped a forced frame');
    this.reschedule({ type: 'asked', now: Date.now() });
    // A crop is never compared nor made the reference (encode-worker.ts): the reference stays as it was.
    if (res.region) return { ...toPayload(res, capturedAt), region: res.region };
    // The encoder compared this frame with its reference, then made it the reference (encode-worker.ts).
    const comparedWith = this.referenceAt;
    this.referenceAt = capturedAt;
    return { ...toPayload(res, capturedAt), ...(comparedWith !== undefined ? { comparedWith } : {}) };
  }

  /**
   * A question is likely soon (the person is typing): a frame at the question's size and quality is encoded now
   * and kept in the Worker, so the grab at Enter reuses it if the picture is still the same. Skipped while
   * paused, or while the Worker is busy (the frame being encoded is kept the same way). Never rejects.
   */
  async prepare(maxSide = this.settings.maxSide, quality = this.settings.quality): Promise<void> {
    if (!this.running || this.paused || this.encoder.busy > 0) return;
    await this.encode(maxSide, quality, 'prepare').catch(() => {});
  }

  private reschedule(event: ScheduleEvent): void {
    const step = nextDelayMs(this.schedule, event);
    this.schedule = step.state;
    if (this.running) {
      clearTimeout(this.timer);
      this.wait(step.delayMs);
    }
  }

  private wait(delayMs: number): void {
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    let changed = false;
    // Never queue frames: if the encoder is still busy, this tick is skipped.
    if (!this.paused && this.encoder.busy === 0) {
      try {
        const capturedAt = Date.now();
        const epoch = this.redactionEpoch;
        const res = await this.encode(this.settings.maxSide, this.settings.quality, 'sample');
        // A kept frame is the detector's new reference, even one dropped below (grab's comparedWith says so).
        if (res?.kind === 'encoded') this.referenceAt = capturedAt;
        if (epoch !== this.redactionEpoch) {
          // Encoded with regions no longer in force: dropped unseen.
        } else if (res?.kind === 'encoded') {
          changed = true;
          this.hooks.onFrame(toPayload(res, capturedAt));
        } else if (res) {
          this.hooks.onDropped?.();
        }
      } catch (err) {
        this.hooks.onError?.(err as Error);
      }
    }
    if (!this.running) return;
    const step = nextDelayMs(this.schedule, { type: 'frame', now: Date.now(), changed });
    this.schedule = step.state;
    this.wait(step.delayMs);
  }

  /** Undefined when the source had nothing to sample (only in 'sample' mode). A crop's result says which region it shows. */
  private async encode(
    maxSide: number,
    quality: number,
    mode: 'sample' | 'force' | 'crop' | 'prepare',
    crop?: Region,
  ): Promise<(EncodeResult & { region?: Region }) | undefined> {
    // A prepared frame, like a sampled one, is skipped when there is nothing to take.
    const picture = await this.source.picture(maxSide, mode === 'sample' || mode === 'prepare' ? 'sample' : 'force', crop);
    if (!picture) return undefined;
    const { region, ...pixels } = picture;
    const hidden = this.settings.redactions ?? [];
    // In a crop the hidden regions are moved into the crop's own fractions: as if masked before cropping.
    const out = pictureSize(pixels);
    const scaled = region !== undefined && out.width < pixels.sourceWidth;
    const redactions = region ? regionsInCrop(hidden, region, out, scaled ? SCALED_CROP_MARGIN_PX : 0) : hidden;
    const res = await this.encoder.encode({ ...pixels, quality, mode, redactions });
    return region ? { ...res, region } : res;
  }
}

function toPayload(res: Extract<EncodeResult, { kind: 'encoded' }>, capturedAt: number): FramePayload {
  const { data, width, height, meanLuma, encodeMs, changed } = res;
  return { capturedAt, data, width, height, meanLuma, encodeMs, changed };
}
