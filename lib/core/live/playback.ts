// Gapless scheduling of the model's spoken answer: 24 kHz PCM chunks arrive over the socket at
// uneven times and must play back to back. Each chunk starts at
//   max(now + lead, end of the last scheduled chunk)
// so chunks never overlap and never wait longer than needed, and a chunk that arrives after the queue
// ran dry mid-answer is counted as a gap (an audible hole). Barge-in (`serverContent.interrupted`,
// https://ai.google.dev/gemini-api/docs/live-guide#interruptions) calls interrupt(): everything
// queued is handed back to be stopped, and chunks of the old generation are refused from then on.
// Pure: times are AudioContext seconds passed in, so tests drive it with a virtual clock.

/** Options for {@link PlaybackScheduler}. */
export interface PlaybackOptions {
  /** Rate of the chunks in Hz (the Live API answers at 24000). */
  sampleRate?: number;
  /** Seconds between "now" and the earliest start, to cover the audio thread's latency (default 0.03). */
  leadSec?: number;
}

/** A chunk placed on the timeline. Times are AudioContext seconds. */
export interface ScheduledChunk {
  id: number;
  /** The generation it was scheduled in; interrupt() starts a new one. */
  generation: number;
  samples: number;
  startAt: number;
  endAt: number;
  /** Silence (s) before this chunk because the queue ran dry mid-answer; 0 when it joined seamlessly. */
  gapSec: number;
}

/** Running totals since the scheduler was made. */
export interface PlaybackStats {
  chunks: number;
  /** Chunks that started after a hole in the middle of an answer. */
  gaps: number;
  gapSec: number;
  /** Chunks handed back by interrupt() before they finished, and ones refused as stale. */
  dropped: number;
  /** Scheduled audio (s) that interrupt() cut off before it was heard. */
  droppedSec: number;
}

/** Places chunks on an AudioContext timeline. See the file comment for the rule. */
export class PlaybackScheduler {
  readonly sampleRate: number;
  readonly leadSec: number;
  private gen = 0;
  private nextId = 1;
  private endOfQueue = 0;
  /** True once a chunk of the current answer was scheduled (so a later wait is a gap, not a new answer). */
  private inAnswer = false;
  private live = new Map<number, ScheduledChunk>();
  private totals: PlaybackStats = { chunks: 0, gaps: 0, gapSec: 0, dropped: 0, droppedSec: 0 };

  constructor(opts: PlaybackOptions = {}) {
    this.sampleRate = opts.sampleRate ?? 24000;
    this.leadSec = opts.leadSec ?? 0.03;
  }

  /** The current generation; pass it back to schedule() for audio received now. */
  get generation(): number { return this.gen; }

  get stats(): Readonly<PlaybackStats> { return this.totals; }

  /** Seconds of scheduled audio not yet played at `now`. */
  queuedSec(now: number): number { return Math.max(0, this.endOfQueue - now); }

  /**
   * Places `samples` samples (at `sampleRate`) on the timeline at AudioContext time `now` (s).
   * Returns null, scheduling nothing, when `generation` is older than the current one (audio that
   * was in flight when the answer was interrupted or the connection replaced).
   */
  schedule(samples: number, now: number, generation = this.gen): ScheduledChunk | null {
    if (generation !== this.gen) {
      this.totals.dropped++;
      return null;
    }
    this.prune(now);
    const earliest = now + this.leadSec;
    const startAt = Math.max(earliest, this.endOfQueue);
    const gapSec = this.inAnswer && earliest > this.endOfQueue ? earliest - this.endOfQueue : 0;
    const chunk: ScheduledChunk = {
      id: this.nextId++,
      generation,
      samples,
      startAt,
      endAt: startAt + samples / this.sampleRate,
      gapSec,
    };
    this.endOfQueue = chunk.endAt;
    this.inAnswer = true;
    this.live.set(chunk.id, chunk);
    this.totals.chunks++;
    if (gapSec > 0) { this.totals.gaps++; this.totals.gapSec += gapSec; }
    return chunk;
  }

  /** The chunk finished playing (its source's `ended` event); forgets it. */
  ended(id: number): void { this.live.delete(id); }

  /**
   * The answer is complete (`turnComplete`): the next chunk starts a new answer, so waiting for it is
   * not a gap. Queued audio keeps playing.
   */
  endTurn(): void { this.inAnswer = false; }

  /**
   * Barge-in or a replaced connection: returns every chunk not yet finished at `now`, for the
   * player to stop, and starts a new generation so audio of the old one is refused.
   */
  interrupt(now: number): ScheduledChunk[] {
    this.prune(now);
    const cut = [...this.live.values()];
    for (const c of cut) {
      this.totals.dropped++;
      this.totals.droppedSec += c.endAt - Math.max(now, c.startAt);
    }
    this.live.clear();
    this.gen++;
    this.endOfQueue = 0;
    this.inAnswer = false;
    return cut;
  }

  /** Forgets chunks that have finished by `now` even if no `ended` event was reported. */
  private prune(now: number): void {
    for (const [id, c] of this.live) if (c.endAt <= now) this.live.delete(id);
  }
}
