/**
 * Hear the tab (issue 14, item 3): the last minute of the shared tab's sound, kept compressed in memory as
 * MediaRecorder's WebM/Opus Clusters (webm.ts), so a question about what was said can carry it. Pure.
 *
 * Bounds: by time (Clusters that started before the newest audio's end minus `windowMs` are dropped) and by
 * memory (the oldest Clusters are dropped while the bytes held pass `maxBytes`). Nothing here is ever written
 * to disk; the capture page holds one ring per shared tab and throws it away on pause and stop.
 */
import { WebmSplitter, type WebmCluster } from './webm.ts';

/** How much sound a question can carry (ms). */
export const SOUND_WINDOW_MS = 60_000;
/**
 * Most bytes a ring holds. Opus at the recorder's 32 kbit/s is 240 kB a minute; this leaves room for a
 * recorder that ignores the bit rate asked for (Chromium's default is 128 kbit/s: 960 kB a minute).
 */
export const SOUND_MAX_BYTES = 1_500_000;

/** A window of the recording as one playable WebM file. */
export interface SoundWindow {
  /** The init segment followed by whole Clusters: a file any WebM decoder plays. */
  bytes: Uint8Array;
  /** Audio covered (ms), from the first Cluster's start to the last block's end. */
  durationMs: number;
}

export interface RingOptions {
  windowMs?: number;
  maxBytes?: number;
}

export class AudioRing {
  readonly windowMs: number;
  readonly maxBytes: number;
  private splitter = new WebmSplitter();
  private clusters: WebmCluster[] = [];
  private held = 0;

  constructor(opts: RingOptions = {}) {
    this.windowMs = opts.windowMs ?? SOUND_WINDOW_MS;
    this.maxBytes = opts.maxBytes ?? SOUND_MAX_BYTES;
  }

  /** Bytes held: whole Clusters, the one being recorded, the init segment and bytes not yet parsed. */
  get bytes(): number {
    return this.held + (this.splitter.current()?.bytes.length ?? 0) + (this.splitter.init?.length ?? 0) + this.splitter.pendingBytes;
  }

  /** Whole Clusters held (the one being recorded not counted). */
  get clusterCount(): number {
    return this.clusters.length;
  }

  /** Adds a piece of the recording (a `dataavailable` blob's bytes, cut anywhere). */
  push(piece: Uint8Array): void {
    for (const c of this.splitter.push(piece)) {
      this.clusters.push(c);
      this.held += c.bytes.length;
    }
    // Bytes that never form an element (not WebM) must not grow without bound either.
    if (this.splitter.pendingBytes > this.maxBytes) this.reset();
    this.trim();
  }

  /** Forgets everything heard: a new recording (with its own header) starts from here. */
  reset(): void {
    this.splitter = new WebmSplitter();
    this.clusters = [];
    this.held = 0;
  }

  /** The last `windowMs` of sound as one WebM file; undefined before the header and a first block arrived. */
  window(): SoundWindow | undefined {
    this.trim();
    const init = this.splitter.init;
    const open = this.splitter.current();
    const all = open ? [...this.clusters, open] : this.clusters;
    if (!init || all.length === 0) return undefined;
    const kept = all.filter((c) => c.startMs >= all.at(-1)!.endMs - this.windowMs);
    const bytes = new Uint8Array(init.length + kept.reduce((n, c) => n + c.bytes.length, 0));
    bytes.set(init, 0);
    let at = init.length;
    for (const c of kept) {
      bytes.set(c.bytes, at);
      at += c.bytes.length;
    }
    return { bytes, durationMs: kept.length ? kept.at(-1)!.endMs - kept[0]!.startMs : 0 };
  }

  private trim(): void {
    const newest = this.splitter.current()?.endMs ?? this.clusters.at(-1)?.endMs;
    if (newest === undefined) return;
    while (this.clusters.length && (this.clusters[0]!.startMs < newest - this.windowMs || this.bytes > this.maxBytes)) {
      this.held -= this.clusters.shift()!.bytes.length;
    }
  }
}
