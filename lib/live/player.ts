// Plays the model's spoken answer (24 kHz 16-bit PCM chunks) gaplessly through an AudioContext:
// each chunk becomes an AudioBufferSourceNode started at the time lib/core/live/playback.ts gives it.
// The context runs at the device's own rate; an AudioBuffer made at 24 kHz is resampled by the
// browser (createBuffer accepts 8 to 96 kHz: https://webaudio.github.io/web-audio-api/#dom-baseaudiocontext-createbuffer).
import { PlaybackScheduler, type PlaybackStats, type ScheduledChunk } from '../core/live/playback.ts';
import { int16ToFloat32, OUTPUT_RATE } from '../core/live/pcm.ts';

export interface PlayerOptions {
  /** An existing context to play into (e.g. the one that also plays the shared tab's sound). */
  context?: AudioContext;
  /**
   * Seconds of lead before the first chunk of an answer. Default: the context's `baseLatency` (the audio
   * thread's own buffering, about 10 ms at an interactive hint), kept within 5 to 30 ms: less and the first
   * chunk's start time would already be past when the audio thread reads it, so the next chunk, placed at
   * its computed end, would overlap it; more is silence the person waits through.
   */
  leadSec?: number;
}

/** A chunk as played: when it was handed in and when it will be heard, for latency figures. */
export interface PlayedChunk extends ScheduledChunk {
  /** `performance.now()` (ms) when play() was called. */
  receivedAt: number;
  /** `performance.now()` (ms) at which the chunk becomes audible (start time converted). */
  audibleAt: number;
}

/** Gapless answer playback with barge-in. One per Live conversation; close() when it ends. */
export class LivePlayer {
  readonly context: AudioContext;
  private readonly ownsContext: boolean;
  private readonly scheduler: PlaybackScheduler;
  private readonly gain: GainNode;
  private readonly sources = new Map<number, AudioBufferSourceNode>();

  constructor(opts: PlayerOptions = {}) {
    this.ownsContext = !opts.context;
    this.context = opts.context ?? new AudioContext({ latencyHint: 'interactive' });
    const lead = opts.leadSec ?? Math.min(0.03, Math.max(0.005, this.context.baseLatency || 0.01));
    this.scheduler = new PlaybackScheduler({ sampleRate: OUTPUT_RATE, leadSec: lead });
    this.gain = this.context.createGain();
    this.gain.connect(this.context.destination);
  }

  /** The current generation: audio received now should be played with it. */
  get generation(): number { return this.scheduler.generation; }

  get stats(): Readonly<PlaybackStats> { return this.scheduler.stats; }

  /** Output volume, 0..1. */
  setVolume(v: number): void { this.gain.gain.value = Math.min(1, Math.max(0, v)); }

  /**
   * Queues one chunk of 24 kHz PCM. Returns null (and plays nothing) when `generation` is stale,
   * i.e. the answer was interrupted or the connection replaced since the chunk was received.
   */
  play(pcm: Int16Array, generation = this.scheduler.generation): PlayedChunk | null {
    const receivedAt = performance.now();
    if (pcm.length === 0) return null;
    // A context created without a user gesture starts suspended; resuming is harmless otherwise.
    if (this.context.state === 'suspended') void this.context.resume().catch(() => {});
    const chunk = this.scheduler.schedule(pcm.length, this.context.currentTime, generation);
    if (!chunk) return null;
    const buffer = this.context.createBuffer(1, pcm.length, OUTPUT_RATE);
    buffer.copyToChannel(int16ToFloat32(pcm), 0);
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.gain);
    source.onended = () => {
      this.sources.delete(chunk.id);
      this.scheduler.ended(chunk.id);
    };
    source.start(chunk.startAt);
    this.sources.set(chunk.id, source);
    const audibleAt = receivedAt + (chunk.startAt - this.context.currentTime) * 1000;
    return { ...chunk, receivedAt, audibleAt };
  }

  /** The answer is complete: the wait for the next one is not a gap. */
  endTurn(): void { this.scheduler.endTurn(); }

  /** Barge-in: stops what is playing at once and drops everything queued. */
  interrupt(): void {
    for (const c of this.scheduler.interrupt(this.context.currentTime)) {
      const source = this.sources.get(c.id);
      this.sources.delete(c.id);
      try { source?.stop(); } catch { /* never started or already stopped */ }
      source?.disconnect();
    }
  }

  /** Stops everything; closes the context if this player made it. */
  async close(): Promise<void> {
    this.interrupt();
    this.gain.disconnect();
    if (this.ownsContext) await this.context.close().catch(() => {});
  }
}
