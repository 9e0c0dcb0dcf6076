// One Live conversation: drives the reconnect machine (reconnect.ts) with a transport (the real one
// is lib/live/transport.ts over @google/genai's `ai.live.connect`; tests use simulated ones) and a
// clock, and turns server messages into audio to play, transcript lines and token counts. Only
// messages of the current connection are acted on, so nothing of an old connection is played or
// shown after a new one starts. No browser API here: it runs wherever its transport does.
import { initialLiveState, isCurrent, LIVE_TIMING, step, type LiveTiming } from './reconnect.ts';
import { snapshot } from './reconnect-snapshot.ts';
import type { AudioChunk, LiveEffect, LiveEvent, LiveState } from './reconnect-types.ts';
import { LiveTranscript, type TranscriptLine } from './transcript.ts';
import { durationMs, LiveUsageMeter, type LiveTokens, type LiveUsageReport } from './usage.ts';

/** The fields of a BidiGenerateContent server message used here (https://ai.google.dev/api/live). */
export interface LiveServerMessage {
  setupComplete?: object;
  serverContent?: {
    modelTurn?: { parts?: { inlineData?: { data?: string; mimeType?: string }; text?: string }[] };
    inputTranscription?: { text?: string; finished?: boolean };
    outputTranscription?: { text?: string; finished?: boolean };
    turnComplete?: boolean;
    interrupted?: boolean;
  };
  /** `timeLeft` is a protobuf Duration ("50s"). */
  goAway?: { timeLeft?: string };
  sessionResumptionUpdate?: { newHandle?: string; resumable?: boolean };
  usageMetadata?: LiveUsageReport;
}

/** An open Live socket, after `setupComplete`. */
export interface LiveSocket {
  /** `realtimeInput.audio` (16 kHz PCM), one message per chunk. */
  sendAudio(chunks: AudioChunk[]): void;
  /** `realtimeInput.video`: one JPEG frame, base64. */
  sendVideo(jpegBase64: string): void;
  /** `realtimeInput.text`. */
  sendText(text: string): void;
  close(code: number, reason: string): void;
}

/** What the transport needs to open socket `generation`. */
export interface OpenRequest {
  generation: number;
  /** Resumption handle to present, or null for a new session. */
  handle: string | null;
  /** Summary of the conversation so far, to seed a new session, or null. */
  summary: string | null;
  onMessage(msg: LiveServerMessage): void;
  /** Called once when the socket closes (also when it closes before `setupComplete`). */
  onClose(code: number, reason: string): void;
}

/** Opens Live sockets. A rejection's `fatal: true` (e.g. the access token is wrong) stops retrying. */
export interface LiveTransport {
  /** Gets a fresh token, opens the socket, sends `setup`; resolves after `setupComplete`. */
  open(req: OpenRequest): Promise<LiveSocket>;
}

/** Time in ms and one replaceable timer (a virtual clock in tests). */
export interface LiveClock {
  now(): number;
  setTimer(at: number, fn: () => void): void;
  clearTimer(): void;
}

/** What the conversation tells its owner. All optional. */
export interface LiveSessionHooks {
  /** Summary of the conversation so far, for a new session when the old one cannot be resumed. */
  summary?(): string | Promise<string>;
  /** Answer audio (24 kHz PCM, base64) of the current connection, to play. */
  onAudio?(pcmBase64: string, generation: number): void;
  /** Stop playback now and drop the queue (barge-in, or a connection cut mid-answer). */
  onDropPlayback?(): void;
  onTurnComplete?(): void;
  onTranscript?(changed: TranscriptLine[]): void;
  /** A turn ended: its tokens and the conversation's sum. */
  onUsage?(turn: LiveTokens, total: LiveTokens): void;
  /** The machine's state changed; `saved` is the snapshot to keep in session storage. */
  onState?(state: LiveState, saved: string): void;
}

/** One Live conversation across any number of connections. */
export class LiveSession {
  state: LiveState;
  readonly transcript = new LiveTranscript();
  readonly usage = new LiveUsageMeter();
  private readonly sockets = new Map<number, LiveSocket>();
  /** Messages of a socket that arrived before its open() resolved. */
  private readonly early = new Map<number, LiveServerMessage[]>();
  private readonly closeReported = new Set<number>();
  private pendingText: string[] = [];
  private readonly timing: LiveTiming;
  private readonly transport: LiveTransport;
  private readonly clock: LiveClock;
  private readonly hooks: LiveSessionHooks;

  constructor(transport: LiveTransport, clock: LiveClock, hooks: LiveSessionHooks = {}, opts: { timing?: LiveTiming; state?: LiveState } = {}) {
    this.transport = transport;
    this.clock = clock;
    this.hooks = hooks;
    this.timing = opts.timing ?? LIVE_TIMING;
    this.state = opts.state ?? initialLiveState();
  }

  /** Opens the first connection (or resumes the one a restored state names). */
  start(): void { this.dispatch({ type: 'start', now: this.clock.now() }); }
  /** Ends the conversation: closes the socket, cuts the answer in progress, stops all timers. */
  end(): void { this.dispatch({ type: 'end', now: this.clock.now() }); this.clock.clearTimer(); }
  /** The browser's `online` event: reconnects at once if the network was the reason to wait. */
  online(): void { this.dispatch({ type: 'online', now: this.clock.now() }); }
  /** The browser's `offline` event: closes the socket and waits for `online`, keeping what is said. */
  offline(): void { this.dispatch({ type: 'offline', now: this.clock.now() }); }

  /** Microphone audio: sent now, or kept until a connection is open. */
  sendAudio(chunk: AudioChunk): void { this.dispatch({ type: 'mic', chunk, now: this.clock.now() }); }

  /** A video frame; dropped (false) while no connection is open, since a newer one follows within a second. */
  sendVideo(jpegBase64: string): boolean {
    const socket = this.openSocket();
    socket?.sendVideo(jpegBase64);
    return socket !== undefined;
  }

  /** Typed text: sent now, or as soon as a connection is open. */
  sendText(text: string): void {
    const socket = this.openSocket();
    if (socket) socket.sendText(text);
    else this.pendingText.push(text);
  }

  private openSocket(): LiveSocket | undefined {
    return this.state.phase === 'open' ? this.sockets.get(this.state.generation) : undefined;
  }

  private dispatch(event: LiveEvent): void {
    const before = this.state;
    const { state, effects } = step(before, event, this.timing);
    this.state = state;
    for (const e of effects) this.run(e);
    if (state !== before) this.hooks.onState?.(state, snapshot(state));
  }

  private run(e: LiveEffect): void {
    switch (e.type) {
      case 'connect': void this.connect(e.generation, e.handle, e.seedSummary); break;
      case 'close':
        this.sockets.get(e.generation)?.close(e.code, e.reason);
        this.sockets.delete(e.generation);
        break;
      case 'sendAudio': this.sockets.get(e.generation)?.sendAudio(e.chunks); break;
      case 'cutTurn': {
        const changed = this.transcript.cut(e.generation);
        if (changed.length) this.hooks.onTranscript?.(changed);
        this.endTurn();
        break;
      }
      case 'dropPlayback': this.hooks.onDropPlayback?.(); break;
      case 'wake': this.clock.setTimer(e.at, () => this.dispatch({ type: 'timer', now: this.clock.now() })); break;
    }
  }

  /** Adds the turn's tokens to the sum (a `hooks.onUsage?.(...)` call would skip it without a hook). */
  private endTurn(): void {
    const turn = this.usage.endTurn();
    this.hooks.onUsage?.(turn, this.usage.total);
  }

  private async connect(generation: number, handle: string | null, seedSummary: boolean): Promise<void> {
    let summary: string | null = null;
    try {
      if (seedSummary) summary = (await this.hooks.summary?.()) ?? null;
      this.early.set(generation, []);
      const socket = await this.transport.open({
        generation,
        handle,
        summary,
        onMessage: (msg) => this.onMessage(generation, msg),
        onClose: (code, reason) => {
          this.closeReported.add(generation);
          this.sockets.delete(generation);
          this.dispatch({ type: 'closed', generation, code, reason, now: this.clock.now() });
        },
      });
      if (generation !== this.state.generation || this.closeReported.has(generation)) {
        socket.close(1000, 'Replaced by a newer connection.');
        return;
      }
      this.sockets.set(generation, socket);
      this.dispatch({ type: 'setupComplete', generation, now: this.clock.now() });
      const early = this.early.get(generation) ?? [];
      this.early.delete(generation);
      for (const msg of early) this.onMessage(generation, msg);
      const texts = this.pendingText;
      this.pendingText = [];
      for (const t of texts) this.sendText(t);
    } catch (err) {
      this.early.delete(generation);
      if (this.closeReported.has(generation)) return; // the close already told the machine
      const fatal = (err as { fatal?: boolean }).fatal === true;
      this.dispatch({ type: 'connectFailed', generation, reason: (err as Error).message, fatal, now: this.clock.now() });
    }
  }

  private onMessage(generation: number, msg: LiveServerMessage): void {
    if (msg.setupComplete && Object.keys(msg).length === 1) return; // open() resolving reports it
    const early = this.early.get(generation);
    if (early && !this.sockets.has(generation)) { early.push(msg); return; }
    if (!isCurrent(this.state, generation)) return; // an old connection: never played, never shown
    const now = this.clock.now();
    if (msg.usageMetadata) this.usage.observe(msg.usageMetadata);
    const sc = msg.serverContent;
    if (sc) {
      let modelOutput = Boolean(sc.outputTranscription?.text);
      for (const part of sc.modelTurn?.parts ?? []) {
        if (part.text) modelOutput = true;
        const data = part.inlineData?.data;
        if (data && (part.inlineData?.mimeType ?? '').startsWith('audio/')) {
          modelOutput = true;
          this.hooks.onAudio?.(data, generation);
        }
      }
      const changed = this.transcript.onServerContent(generation, sc, now);
      if (changed.length) this.hooks.onTranscript?.(changed);
      if (sc.interrupted) this.hooks.onDropPlayback?.();
      if (sc.turnComplete) this.hooks.onTurnComplete?.();
      if (sc.turnComplete || sc.interrupted) this.endTurn();
      this.dispatch({ type: 'serverContent', generation, modelOutput, turnComplete: sc.turnComplete, interrupted: sc.interrupted, now });
    }
    const update = msg.sessionResumptionUpdate;
    if (update) this.dispatch({ type: 'resumptionUpdate', generation, newHandle: update.newHandle, resumable: update.resumable, now });
    if (msg.goAway) {
      const left = durationMs(msg.goAway.timeLeft);
      this.dispatch({ type: 'goAway', generation, timeLeftMs: Number.isFinite(left) ? left : 0, now });
    }
  }
}

/** The LiveClock of a page, worker or Node: `Date.now()` and one `setTimeout`. */
export function systemClock(): LiveClock {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    now: () => Date.now(),
    setTimer(at, fn) { clearTimeout(timer); timer = setTimeout(fn, Math.max(0, at - Date.now())); },
    clearTimer() { clearTimeout(timer); },
  };
}
