// A simulated Live server and a virtual clock, for driving lib/core/live/session.ts through hours of
// conversation in a second. The server behaves like the Live API where it matters for reconnecting:
// it remembers a session only up to its newest resumption handle, sends `goAway` before a
// connection's 10-minute end, closes with 1011 on demand, and answers each utterance it hears with
// transcriptions and audio. Microphone chunks carry "u<k>" (the person is saying utterance k) or
// "-" (silence) instead of PCM, so the server can tell what it heard. Test-only.
import type { LiveClock, LiveServerMessage, LiveSocket, LiveTransport, OpenRequest } from '../../lib/core/live/session.ts';
import type { AudioChunk } from '../../lib/core/live/reconnect-types.ts';

/** Virtual time with one replaceable timer (the LiveClock) plus any number of scheduled callbacks. */
export class VirtualClock implements LiveClock {
  private t = 0;
  private seq = 0;
  private queue: { at: number; seq: number; fn: () => void }[] = [];
  private timer: { at: number; seq: number; fn: () => void } | null = null;

  now(): number { return this.t; }
  setTimer(at: number, fn: () => void): void { this.timer = { at, seq: this.seq++, fn }; }
  clearTimer(): void { this.timer = null; }
  at(at: number, fn: () => void): void { this.queue.push({ at: Math.max(at, this.t), seq: this.seq++, fn }); }

  /** Runs everything due up to `end` (ms), letting promise callbacks settle after each step. */
  async runUntil(end: number): Promise<void> {
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.queue[0];
      const timer = this.timer;
      const useTimer = timer && (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq));
      const item = useTimer ? timer : next;
      if (!item || item.at > end) break;
      if (useTimer) this.timer = null;
      else this.queue.shift();
      this.t = Math.max(this.t, item.at);
      item.fn();
      await new Promise((r) => setImmediate(r));
    }
    this.t = Math.max(this.t, end);
  }
}

interface SessionMemory {
  /** Utterances whose every chunk the session has heard, and those it has answered. */
  heard: Set<number>;
  answered: Set<number>;
  /** Chunk seqs heard per utterance (for completeness checks). */
  chunks: Map<number, Set<number>>;
}

const copy = (m: SessionMemory): SessionMemory => ({
  heard: new Set(m.heard), answered: new Set(m.answered), chunks: new Map([...m.chunks].map(([k, v]) => [k, new Set(v)])),
});

export interface SimOptions {
  latencyMs?: number;
  setupMs?: number;
  /** A connection's life; `goAway` comes `goAwayNoticeMs` before it ends. */
  connectionMs?: number;
  goAwayNoticeMs?: number;
  /** Chunks per utterance (each 40 ms). */
  utteranceChunks?: number;
}

interface Conn { id: number; req: OpenRequest; memory: SessionMemory; open: boolean; current: number | null; silenceAfter: boolean }

/** The simulated server; `transport` is what LiveSession connects through. */
export class LiveSim {
  readonly received: AudioChunk[] = [];
  readonly handles = new Map<string, SessionMemory>();
  readonly log: string[] = [];
  connections: Conn[] = [];
  private nextHandle = 1;
  private readonly o: Required<SimOptions>;
  readonly clock: VirtualClock;

  constructor(clock: VirtualClock, opts: SimOptions = {}) {
    this.clock = clock;
    this.o = { latencyMs: 20, setupMs: 150, connectionMs: 600_000, goAwayNoticeMs: 60_000, utteranceChunks: 50, ...opts };
  }

  get current(): Conn | undefined { return this.connections.filter((c) => c.open).at(-1); }

  readonly transport: LiveTransport = {
    open: (req) => new Promise((resolve, reject) => {
      const memory = req.handle === null ? { heard: new Set<number>(), answered: new Set<number>(), chunks: new Map() } : this.handles.get(req.handle);
      const conn: Conn = { id: this.connections.length + 1, req, memory: memory ? copy(memory) : (null as never), open: !!memory, current: null, silenceAfter: false };
      this.connections.push(conn);
      this.log.push(`${this.clock.now()} open #${conn.id} gen ${req.generation} ${req.handle ? 'resume' : req.summary ? 'fresh' : 'new'}`);
      const { latencyMs, setupMs, connectionMs, goAwayNoticeMs } = this.o;
      if (!memory) {
        this.clock.at(this.clock.now() + setupMs, () => {
          req.onClose(1008, 'Invalid session resumption handle.');
          reject(new Error('Live connection closed before setup completed (code 1008)'));
        });
        return;
      }
      const socket: LiveSocket = {
        sendAudio: (chunks) => { for (const c of chunks) this.clock.at(this.clock.now() + latencyMs, () => this.hear(conn, c)); },
        sendVideo: () => {},
        sendText: () => {},
        close: () => { conn.open = false; },
      };
      this.clock.at(this.clock.now() + setupMs, () => resolve(socket));
      const opened = this.clock.now();
      if (Number.isFinite(connectionMs)) this.clock.at(opened + connectionMs - goAwayNoticeMs, () => this.goAway(goAwayNoticeMs, conn));
    }),
  };

  /** Sends `goAway` to the open connection and closes it (1000) `timeLeftMs` later if it is still open. */
  goAway(timeLeftMs: number, conn = this.current): void {
    if (!conn?.open) return;
    this.log.push(`${this.clock.now()} goAway #${conn.id}`);
    this.send(conn, { goAway: { timeLeft: `${timeLeftMs / 1000}s` } });
    this.clock.at(this.clock.now() + timeLeftMs, () => this.close(conn, 1000, 'Connection lifetime reached.'));
  }

  /** Closes the open connection from the server side (1011: an internal error). */
  fail(code = 1011, reason = 'Internal error encountered.'): void {
    const conn = this.current;
    if (conn) this.close(conn, code, reason);
  }

  private close(conn: Conn, code: number, reason: string): void {
    if (!conn.open) return;
    conn.open = false;
    this.log.push(`${this.clock.now()} close #${conn.id} ${code}`);
    this.clock.at(this.clock.now() + this.o.latencyMs, () => conn.req.onClose(code, reason));
  }

  private send(conn: Conn, msg: LiveServerMessage, delay = 0): void {
    this.clock.at(this.clock.now() + delay + this.o.latencyMs, () => { if (conn.open) conn.req.onMessage(msg); });
  }

  private hear(conn: Conn, chunk: AudioChunk): void {
    if (!conn.open) return;
    this.received.push(chunk);
    const k = chunk.data.startsWith('u') ? Number(chunk.data.slice(1)) : null;
    if (k !== null) {
      const set = conn.memory.chunks.get(k) ?? new Set<number>();
      set.add(chunk.seq);
      conn.memory.chunks.set(k, set);
      conn.current = k;
      return;
    }
    // Silence after speech: the utterance is over. Transcribe it, and answer it unless already answered.
    const done = conn.current;
    conn.current = null;
    if (done === null || (conn.memory.chunks.get(done)?.size ?? 0) < this.o.utteranceChunks) return;
    conn.memory.heard.add(done);
    this.send(conn, { serverContent: { inputTranscription: { text: `Utterance ${done}.`, finished: true } } });
    if (conn.memory.answered.has(done)) return;
    this.answer(conn, done);
  }

  /** Six 500 ms pieces of audio + transcription, then turnComplete, usage and a new handle. */
  private answer(conn: Conn, k: number): void {
    const pcm = Buffer.alloc(24000).toString('base64'); // 500 ms of 24 kHz silence
    for (let j = 0; j < 6; j++) {
      this.send(conn, {
        serverContent: {
          modelTurn: { parts: [{ inlineData: { mimeType: 'audio/pcm;rate=24000', data: pcm } }] },
          outputTranscription: { text: `Answer ${k} part ${j}. ` },
        },
      }, 300 + j * 500);
    }
    this.clock.at(this.clock.now() + 300 + 6 * 500, () => {
      if (!conn.open) return;
      conn.memory.answered.add(k);
      const handle = `h${this.nextHandle++}`;
      this.handles.set(handle, copy(conn.memory));
      this.send(conn, { serverContent: { turnComplete: true }, usageMetadata: { promptTokenCount: 100 * k, responseTokenCount: 50, totalTokenCount: 100 * k + 50 } });
      this.send(conn, { sessionResumptionUpdate: { newHandle: handle, resumable: true } }, 5);
    });
  }
}

/** A microphone on the virtual clock: a 40 ms chunk every 40 ms until `endMs`; utterance k is spoken from `at` for `chunks` chunks. */
export function speak(clock: VirtualClock, send: (c: AudioChunk) => void, endMs: number, utterances: { k: number; at: number }[], chunks = 50): void {
  let seq = 0;
  // One chunk schedules the next, so the clock's queue stays short.
  const tick = (t: number) => {
    const u = utterances.find((x) => t >= x.at && t < x.at + chunks * 40);
    send({ data: u ? `u${u.k}` : '-', ms: 40, seq: seq++ });
    if (t + 40 < endMs) clock.at(t + 40, () => tick(t + 40));
  };
  clock.at(0, () => tick(0));
}
