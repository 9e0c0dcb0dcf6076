/**
 * One running capture: a stream, the <video> showing it, the encoder and the sampler.
 * Shared by Chrome's offscreen document and Firefox's sidebar (camera, screen).
 */
import type { CaptureSettings, FramePayload } from '../../protocol/messages.ts';
import type { SourceKind } from '../../core/types.ts';
import { FrameEncoder } from './encoder.ts';
import { openStream, stopStream, endedReason, type OpenOptions } from './media.ts';
import { FrameSampler, type SamplerHooks } from './sampler.ts';
import { videoFrameSource } from './frame-source.ts';
import { TabAudio } from './tab-audio.ts';
import type { Region } from '../../core/frames/redaction.ts';
import { BLACK_FRAME_LUMA } from '../../core/frames/size.ts';
import { requestFreshFrame, waitForPicture, watchFirstFrame } from './first-frame.ts';

/** How long starting waits for the first frame before it reports the capture as started anyway. */
const PLAY_WAIT_MS = 1500;

export interface CaptureCallbacks extends SamplerHooks {
  onEnded: (reason: string) => void;
}

export class CaptureSession {
  readonly source: SourceKind;
  readonly label: string | undefined;
  private stream: MediaStream;
  private video: HTMLVideoElement;
  private encoder: FrameEncoder;
  private sampler: FrameSampler;
  /** The shared tab's sound, kept for questions about what was said (tabs only; undefined when not heard). */
  private audio: TabAudio | undefined;
  /** Why a shared tab is not heard, when it is not. */
  readonly soundNote: string | undefined;
  private stopped = false;
  /** Whether a frame that is not black was sampled (the conversation keeps only those). */
  private pictured = false;
  private stopWatch: () => void = () => {};

  private constructor(source: SourceKind, stream: MediaStream, video: HTMLVideoElement, settings: CaptureSettings, cb: CaptureCallbacks) {
    this.source = source;
    this.stream = stream;
    this.video = video;
    this.label = stream.getVideoTracks()[0]?.label || undefined;
    const end = (reason: string) => {
      if (this.stopped) return;
      this.stop();
      cb.onEnded(reason);
    };
    // Without its encoder a capture would go on sampling nothing, silently: it ends and says so.
    this.encoder = new FrameEncoder({ onFailed: (err) => end(err.message) });
    const onFrame = (frame: FramePayload) => {
      if (frame.meanLuma >= BLACK_FRAME_LUMA) this.pictured = true;
      cb.onFrame(frame);
    };
    this.sampler = new FrameSampler(videoFrameSource(video), this.encoder, settings, { ...cb, onFrame });
    if (source === 'tab') {
      const heard = TabAudio.start(stream);
      this.audio = heard.audio;
      this.soundNote = heard.note;
    }
    for (const track of stream.getVideoTracks()) track.addEventListener('ended', () => end(endedReason(source)));
  }

  static async open(opts: OpenOptions, settings: CaptureSettings, cb: CaptureCallbacks): Promise<CaptureSession> {
    const stream = await openStream(opts);
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    // In Firefox this runs in the visible sidebar: keep the element rendered (so frames flow) but unseen.
    video.setAttribute('aria-hidden', 'true');
    video.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;opacity:0;pointer-events:none';
    document.body.append(video);
    // play() resolves on the first frame, and a tab that does not repaint sends none: never wait on it
    // (the sampler skips ticks until a frame shows; a question then says "no frame yet").
    const playing = video.play();
    playing.catch(() => {});
    await Promise.race([playing, new Promise((resolve) => setTimeout(resolve, PLAY_WAIT_MS))]);
    const session = new CaptureSession(opts.source, stream, video, settings, cb);
    session.sampler.start();
    // The first frame may have come before the <video> could show it, and a static tab sends no other: while no
    // picture was sampled, the track is asked for a fresh frame (first-frame.ts says what was measured).
    session.stopWatch = watchFirstFrame({ hasPicture: () => session.pictured, refresh: () => session.refresh() });
    return session;
  }

  /** Asks the live video track for a fresh frame (first-frame.ts). */
  private refresh(): void {
    const track = this.stream.getVideoTracks()[0];
    if (!this.stopped && track?.readyState === 'live') requestFreshFrame(track);
  }

  /** Whether the tab's sound is kept (SharingState.sound). */
  get sound(): boolean {
    return this.audio !== undefined;
  }

  /** A frame of now (or a crop of it), with the tab's last minute of sound when asked for and heard. */
  async grab(maxSide?: number, quality?: number, crop?: Region, withSound = false): Promise<FramePayload> {
    // Asked before the first picture came: wait for it (a moment) rather than send the question without one.
    await waitForPicture(this.video, () => this.refresh());
    const frame = await this.sampler.grab(maxSide, quality, crop);
    const sound = withSound ? await this.audio?.clip() : undefined;
    return sound ? { ...frame, sound } : frame;
  }

  /** A grab is likely soon: its frame is encoded ahead (FrameSampler.prepare). Never rejects. */
  prepare(maxSide?: number, quality?: number): Promise<void> {
    return this.sampler.prepare(maxSide, quality);
  }

  setPaused(paused: boolean): void {
    this.sampler.setPaused(paused);
    this.audio?.setPaused(paused);
  }

  setRedactions(regions: Region[]): void {
    this.sampler.setRedactions(regions);
  }

  setRate(fps: number, minFps?: number): void {
    this.sampler.setRate(fps, minFps);
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch();
    this.audio?.stop();
    this.sampler.stop();
    this.encoder.close();
    stopStream(this.stream);
    this.video.srcObject = null;
    this.video.remove();
  }
}
