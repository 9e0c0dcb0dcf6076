// Shapes of the Live reconnect machine (reconnect.ts): its state, the events fed to it and the
// effects it asks its driver to carry out. Everything here is plain JSON so the state can be saved
// in the service worker's session storage and restored after a restart.

/**
 * Where the conversation's connection stands.
 * - idle: not started (or restored from a snapshot, waiting for `start`).
 * - connecting: the first socket of a new session, waiting for `setupComplete`.
 * - open: `setupComplete` received; audio flows.
 * - resuming: a new socket with the newest resumption handle, waiting for `setupComplete`.
 * - reconnecting: waiting out a backoff (or for the network) before the next attempt.
 * - fresh: the handle was refused or expired; a new session seeded with a summary, waiting for `setupComplete`.
 * - closed: ended by the person, or given up on (`error` says why).
 */
export type LivePhase = 'idle' | 'connecting' | 'open' | 'resuming' | 'reconnecting' | 'fresh' | 'closed';

/** One chunk of microphone audio as sent in `realtimeInput.audio`. */
export interface AudioChunk {
  /** base64 of 16 kHz 16-bit PCM. */
  data: string;
  /** Duration in ms. */
  ms: number;
  /** Increasing number given by the microphone, so a test can prove none is lost or doubled. */
  seq: number;
}

export interface LiveState {
  phase: LivePhase;
  /** Number of the current socket: +1 for every socket opened. Events of another number are stale. */
  generation: number;
  /** Newest resumable `sessionResumptionUpdate.newHandle`, or null. */
  handle: string | null;
  /** When `handle` arrived (ms, the caller's clock). Handles last about 2 h. */
  handleAt: number;
  /** The pending attempt presented `handle` (so a close before `setupComplete` may be a refused handle). */
  attemptResumes: boolean;
  /** When the pending attempt gives up waiting for `setupComplete` (ms), or null. */
  attemptDeadline: number | null;
  /** Consecutive failed attempts (backoff index). */
  failures: number;
  /** Consecutive refusals of the key/token (1008). */
  authFailures: number;
  /** When the next attempt is due (ms); null while offline or not reconnecting. */
  retryAt: number | null;
  /** `goAway` received: when the server will close this connection (ms), or null. */
  goAwayDeadline: number | null;
  /** The model is in the middle of an answer on the current connection. */
  speaking: boolean;
  /** When the last answer ended (ms). */
  turnEndedAt: number;
  /** The newest handle arrived after the last answer ended (so it includes that answer). */
  handleCurrent: boolean;
  /** The browser reported no network. */
  offline: boolean;
  /** The next new session must be seeded with a summary of the conversation so far. */
  seedSummary: boolean;
  /** Microphone audio waiting for a connection, oldest first. */
  pending: AudioChunk[];
  /** Audio sent since the newest handle (with when it was sent): a resumed session lacks it. */
  unconfirmed: (AudioChunk & { sentAt: number })[];
  /** Audio of a lost connection that its resumed session lacks; sent first when a resume succeeds. */
  replay: AudioChunk[];
  /** Audio dropped because `pending` outgrew its bound (ms). */
  droppedMs: number;
  /** When the driver was last asked to wake the machine (ms), or null. */
  wakeAt: number | null;
  /** What the panel should say about the connection now (null when all is well). */
  notice: string | null;
  /** Why the conversation was given up on, when phase is 'closed' by failure. */
  error: string | null;
  /** Counters for the cost meter and benchmarks. */
  stats: { connects: number; resumes: number; freshSessions: number; goAways: number; drops: number };
}

/** Something that happened: from the socket, the microphone, the browser, a timer or the person. */
export type LiveEvent =
  | { type: 'start'; now: number }
  | { type: 'setupComplete'; generation: number; now: number }
  | { type: 'resumptionUpdate'; generation: number; newHandle?: string; resumable?: boolean; now: number }
  | { type: 'goAway'; generation: number; timeLeftMs: number; now: number }
  /** `serverContent`: model output (audio or transcription) began, or the answer ended. */
  | { type: 'serverContent'; generation: number; modelOutput?: boolean; turnComplete?: boolean; interrupted?: boolean; now: number }
  | { type: 'closed'; generation: number; code: number; reason: string; now: number }
  /** The attempt failed before a socket opened (token minting failed, handshake refused). `fatal` stops. */
  | { type: 'connectFailed'; generation: number; reason: string; fatal?: boolean; now: number }
  | { type: 'offline'; now: number }
  | { type: 'online'; now: number }
  | { type: 'mic'; chunk: AudioChunk; now: number }
  | { type: 'timer'; now: number }
  | { type: 'end'; now: number };

/** What the driver must do, in order. */
export type LiveEffect =
  /** Get a fresh token, open socket `generation`, send `setup` (with `handle`, and a summary if `seedSummary`). */
  | { type: 'connect'; generation: number; handle: string | null; seedSummary: boolean }
  /** Close socket `generation` (ours to close; its close event will be stale). */
  | { type: 'close'; generation: number; code: number; reason: string }
  /** Send these chunks, in order, as `realtimeInput.audio` on socket `generation`. */
  | { type: 'sendAudio'; generation: number; chunks: AudioChunk[] }
  /** The answer in progress on `generation` will never finish: keep its partial transcript, marked cut. */
  | { type: 'cutTurn'; generation: number }
  /** Stop the answer's audio now and drop what is queued (it belongs to a connection that is gone). */
  | { type: 'dropPlayback' }
  /** Call step() with a `timer` event at `at` (ms); replaces any earlier wake-up. */
  | { type: 'wake'; at: number };
