/**
 * The Live conversation in the page that holds its socket (Chrome's offscreen document, which stays alive while
 * it runs; Firefox's sidebar or the panel page, open while it runs): answers the background's Live commands (lib/protocol/capture.ts `LiveCommands`) with one
 * LiveSession (lib/core/live/session.ts) over the official SDK, through the proxy or straight to Gemini with a
 * token the proxy mints per connection (transport.ts, endpoint.ts), the microphone
 * (mic.ts) and the player (player.ts), and reports phases, levels, transcript lines, usage and the resumption
 * snapshot back as LiveReports. Frames of the running share go along as `realtimeInput.video`, at most one a
 * second (the Live API takes video at most 1 fps: https://ai.google.dev/gemini-api/docs/live-guide); the sampler
 * has already dropped unchanged scenes, so a still scene is not sent again.
 */
import type { RpcHandlers } from '../messaging/rpc.ts';
import type { LiveCommands, LiveLine, LiveReport, StartLive, StartLiveReply } from '../protocol/capture.ts';
import { LiveSession, systemClock } from '../core/live/session.ts';
import { restore } from '../core/live/reconnect-snapshot.ts';
import { base64ToInt16, INPUT_RATE, int16ToBase64, samplesToMs } from '../core/live/pcm.ts';
import type { LiveState } from '../core/live/reconnect-types.ts';
import { seedWithTranscript, type TranscriptLine } from '../core/live/transcript.ts';
import { MicError, startMicrophone, type Microphone } from './mic.ts';
import { LivePlayer } from './player.ts';
import { sdkLiveTransport } from './transport.ts';
import { liveEndpoint } from './endpoint.ts';

/** Video goes at most once a second (ms). */
export const VIDEO_INTERVAL_MS = 1000;
/** The level meter is told at most this often (ms). */
const LEVEL_INTERVAL_MS = 100;

/** What the Live host needs from its page. */
export interface LiveHostDeps {
  /** Sends a report to the background (queued while the port is down). */
  emit(report: LiveReport): void;
  /** A fresh frame of the share as base64 JPEG, or undefined when nothing is shared. */
  grabFrame(): Promise<string | undefined>;
}

/** The Live side of the page: its command handlers, and the frames of the running share. */
export interface LiveHost {
  handlers: RpcHandlers<LiveCommands>;
  /** A kept (changed) frame of the share, base64 JPEG: sent as video within a second, or replaced by a newer one. */
  frame(jpegBase64: string): void;
  /** Whether a Live conversation runs here. */
  active(): boolean;
}

interface Running {
  session: LiveSession;
  mic: Microphone;
  player: LivePlayer;
  lastPhase: string;
  lastHandle: string | null;
  lastVideoAt: number;
  pendingVideo: string | undefined;
  videoTimer: ReturnType<typeof setTimeout> | undefined;
  levelPeak: number;
  levelAt: number;
  stop(): void;
}

const lineOf = (l: TranscriptLine): LiveLine => ({ id: l.id, role: l.role, text: l.text, status: l.status, startedAt: l.startedAt });

/** Creates the Live host of a page; nothing runs until `start-live`. */
export function createLiveHost(deps: LiveHostDeps): LiveHost {
  let live: Running | undefined;
  /** The newest kept frame of the share: what a new connection sees when no fresh one can be taken here. */
  let lastFrame: string | undefined;

  const sendVideo = (run: Running, jpeg: string) => {
    if (run.session.sendVideo(jpeg)) {
      run.lastVideoAt = Date.now();
      run.pendingVideo = undefined;
    } else {
      run.pendingVideo = jpeg; // no connection open now: the newest frame goes once one is
    }
  };

  const flushVideoLater = (run: Running) => {
    if (run.videoTimer) return;
    const wait = Math.max(0, run.lastVideoAt + VIDEO_INTERVAL_MS - Date.now());
    run.videoTimer = setTimeout(() => {
      run.videoTimer = undefined;
      if (live !== run || !run.pendingVideo) return;
      sendVideo(run, run.pendingVideo); // no connection open: it goes when one opens (onState)
    }, wait);
  };

  const onState = (run: Running, state: LiveState, saved: string) => {
    if (state.phase !== run.lastPhase) {
      run.lastPhase = state.phase;
      deps.emit({ type: 'live-phase', phase: state.phase, notice: state.notice });
      // A connection just opened: the scene now goes at once. The sampler sends only changes, so a still
      // scene shared before Live started would otherwise never reach this session.
      if (state.phase === 'open') {
        const held = run.pendingVideo;
        if (held) sendVideo(run, held);
        else {
          void deps.grabFrame().then((fresh) => {
            const jpeg = fresh ?? lastFrame;
            if (jpeg && live === run && !run.pendingVideo) sendVideo(run, jpeg);
          }, () => {});
        }
      }
    }
    if (state.handle !== run.lastHandle) {
      run.lastHandle = state.handle;
      deps.emit({ type: 'live-saved', snapshot: saved });
    }
    if (state.phase === 'closed') {
      run.stop();
      if (live === run) live = undefined;
      deps.emit(state.error ? { type: 'live-ended', reason: state.error } : { type: 'live-ended' });
    }
  };

  async function start(req: StartLive): Promise<StartLiveReply> {
    live?.session.end();
    let seq = 0;
    // Set once the session exists; the microphone may deliver a chunk before that.
    let run: Running | undefined;
    let mic: Microphone;
    try {
      mic = await startMicrophone({
        onChunk(chunk) {
          if (!run) return;
          run.session.sendAudio({ data: int16ToBase64(chunk.pcm), ms: samplesToMs(chunk.pcm.length, INPUT_RATE), seq: ++seq });
          run.levelPeak = Math.max(run.levelPeak, chunk.level);
          const now = Date.now();
          if (now - run.levelAt >= LEVEL_INTERVAL_MS) {
            deps.emit({ type: 'live-level', level: Math.round(run.levelPeak * 1000) / 1000 });
            run.levelPeak = 0;
            run.levelAt = now;
          }
        },
        onEnded(sentence) {
          if (!run) return;
          run.stop();
          if (live === run) live = undefined;
          run.session.end();
          deps.emit({ type: 'live-ended', reason: sentence });
        },
      });
    } catch (err) {
      return { ok: false, error: err instanceof MicError ? err.message : `The microphone could not start: ${(err as Error).message}` };
    }
    mic.setMuted(req.muted === true);
    const player = new LivePlayer();
    // Through the proxy's relay, or (Settings `liveDirect`) straight to Gemini with a token minted per connection.
    const transport = sdkLiveTransport({ endpoint: liveEndpoint(req), model: req.model });
    const state = req.resume ? safeRestore(req.resume) : undefined;
    const session: LiveSession = new LiveSession(
      transport,
      systemClock(),
      {
        summary: () => seedWithTranscript(req.summary ?? '', session.transcript.lines),
        onAudio: (pcm) => void player.play(base64ToInt16(pcm)),
        onDropPlayback: () => player.interrupt(),
        onTurnComplete: () => player.endTurn(),
        onTranscript: (changed) => deps.emit({ type: 'live-lines', lines: changed.map(lineOf) }),
        onUsage: (turn) => deps.emit({ type: 'live-usage', turn }),
        onState: (s, saved) => run && onState(run, s, saved),
      },
      state ? { state } : {},
    );
    const online = () => session.online();
    const offline = () => session.offline();
    addEventListener('online', online);
    addEventListener('offline', offline);
    run = {
      session, mic, player,
      lastPhase: session.state.phase, lastHandle: session.state.handle,
      lastVideoAt: 0, pendingVideo: undefined, videoTimer: undefined, levelPeak: 0, levelAt: 0,
      stop() {
        removeEventListener('online', online);
        removeEventListener('offline', offline);
        clearTimeout(this.videoTimer);
        void mic.stop();
        void player.close();
      },
    };
    live = run;
    session.start();
    return { ok: true };
  }

  /** A kept (changed) frame: sent within a second, or replaced by a newer one. */
  const frame = (jpeg: string) => {
    lastFrame = jpeg;
    const run = live;
    if (!run) return;
    if (Date.now() - run.lastVideoAt >= VIDEO_INTERVAL_MS && !run.videoTimer) return sendVideo(run, jpeg);
    // Sent less than a second ago: the newest frame goes when the second is up.
    run.pendingVideo = jpeg;
    flushVideoLater(run);
  };

  const handlers: RpcHandlers<LiveCommands> = {
    'start-live': start,
    'end-live'() {
      live?.session.end();
    },
    mute({ muted }) {
      live?.mic.setMuted(muted);
    },
    async 'live-text'({ text }) {
      const run = live;
      if (!run) return;
      // The question is about the screen now: a fresh frame goes first, whatever the 1 fps pacing says.
      const jpeg = await deps.grabFrame().catch(() => undefined);
      if (jpeg && live === run) sendVideo(run, jpeg);
      run.session.sendText(text);
    },
    'live-frame'({ data, now }) {
      if (now && live) {
        lastFrame = data;
        sendVideo(live, data);
      } else frame(data);
    },
  };

  return {
    handlers,
    frame,
    active: () => live !== undefined,
  };
}

/** A saved snapshot, or undefined (a new session) when it cannot be read. */
function safeRestore(json: string): LiveState | undefined {
  try {
    return restore(json);
  } catch {
    return undefined;
  }
}
