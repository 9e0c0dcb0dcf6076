// The Live conversation's connection, as a pure state machine: step(state, event) -> {state, effects}.
// Why it exists: a Live connection lasts about 10 minutes and announces its end with `goAway`; an
// audio+video session needs context window compression to outlive 2 minutes; a session survives its
// connections through `sessionResumption` handles valid about 2 hours
// (https://ai.google.dev/gemini-api/docs/live-session). This machine keeps one conversation going
// across all of that: it switches connections before a `goAway` deadline (after the answer in
// progress, with a handle that includes it), reconnects with backoff on 1011/1006/network loss,
// starts a new session seeded with a summary when a handle is refused or expired, buffers the
// person's audio while no connection is open and sends again what a resumed session lacks, and
// numbers connections so nothing of an old one is acted on after a new one starts.
// Pure and clock-free (`now` comes with each event, in ms), so tests run hours on a virtual clock.
import { describeClose, type CloseKind } from './close-codes.ts';
import type { AudioChunk, LiveEffect, LiveEvent, LiveState } from './reconnect-types.ts';

export type { AudioChunk, LiveEffect, LiveEvent, LivePhase, LiveState } from './reconnect-types.ts';

/** Timing and bounds (ms unless named otherwise). Tests may pass their own. */
export const LIVE_TIMING = {
  /** Wait before attempt n after consecutive failures (index = failures, last value repeats). */
  backoffMs: [0, 500, 1000, 2000, 4000, 8000, 15000],
  /** Least wait after a quota refusal. */
  quotaBackoffMs: 5000,
  /** Consecutive failed attempts before giving up. */
  maxFailures: 8,
  /** Consecutive key/token refusals (1008) before giving up (each attempt uses a fresh token). */
  maxAuthFailures: 2,
  /** An attempt without `setupComplete` after this long has failed. */
  connectTimeoutMs: 10_000,
  /** Switch at least this long before a `goAway` deadline, even mid-answer. */
  goAwayMarginMs: 1000,
  /** After an answer, how long to wait for the handle that includes it before switching anyway. */
  handleWaitMs: 500,
  /** A handle older than this is not tried (they last about 2 h; keep a margin). */
  handleTtlMs: 115 * 60_000,
  /** Audio sent less than this long before a handle arrived may not be in it: keep it for replay. */
  inFlightMs: 500,
  /** Bound on audio buffered while disconnected (oldest dropped beyond it). */
  maxPendingMs: 20_000,
  /** Bound on audio kept for replay after a drop. */
  maxUnconfirmedMs: 30_000,
};

export type LiveTiming = typeof LIVE_TIMING;

/** A machine that has not started. */
export function initialLiveState(): LiveState {
  return {
    phase: 'idle', generation: 0, handle: null, handleAt: 0, attemptResumes: false, attemptDeadline: null,
    failures: 0, authFailures: 0, retryAt: null, goAwayDeadline: null, speaking: false, turnEndedAt: 0,
    handleCurrent: true, offline: false, seedSummary: false, pending: [], unconfirmed: [], replay: [],
    droppedMs: 0, wakeAt: null, notice: null, error: null,
    stats: { connects: 0, resumes: 0, freshSessions: 0, goAways: 0, drops: 0 },
  };
}

/** True when audio or transcripts of socket `generation` may be played or shown now. */
export function isCurrent(state: LiveState, generation: number): boolean {
  return state.phase === 'open' && generation === state.generation;
}

const ATTEMPTING = new Set(['connecting', 'resuming', 'fresh']);
const totalMs = (chunks: { ms: number }[]) => chunks.reduce((n, c) => n + c.ms, 0);

/** Drops the oldest chunks beyond `maxMs`; returns the ms dropped. */
function bound<T extends { ms: number }>(chunks: T[], maxMs: number): number {
  let dropped = 0;
  let total = totalMs(chunks);
  while (total > maxMs && chunks.length) { const c = chunks.shift()!; total -= c.ms; dropped += c.ms; }
  return dropped;
}

/** Applies one event. Never throws; events of a stale generation change nothing. */
export function step(state: LiveState, event: LiveEvent, t: LiveTiming = LIVE_TIMING): { state: LiveState; effects: LiveEffect[] } {
  const s: LiveState = {
    ...state, pending: [...state.pending], unconfirmed: [...state.unconfirmed], replay: [...state.replay], stats: { ...state.stats },
  };
  const fx: LiveEffect[] = [];
  const now = event.now;
  if ('generation' in event && event.generation !== s.generation) return { state, effects: [] };

  const attempt = () => {
    if (s.offline) { s.phase = 'reconnecting'; s.retryAt = null; return; }
    if (s.handle && now - s.handleAt > t.handleTtlMs) { s.handle = null; s.seedSummary = s.stats.connects > 0; }
    s.generation++;
    s.attemptResumes = s.handle !== null;
    s.phase = s.handle ? 'resuming' : s.seedSummary ? 'fresh' : 'connecting';
    s.attemptDeadline = now + t.connectTimeoutMs;
    s.retryAt = null;
    s.stats.connects++;
    fx.push({ type: 'connect', generation: s.generation, handle: s.handle, seedSummary: s.phase === 'fresh' });
  };

  const fail = (sentence: string) => {
    s.phase = 'closed';
    s.error = s.notice = sentence;
    s.pending = []; s.replay = []; s.unconfirmed = [];
    s.retryAt = s.attemptDeadline = s.goAwayDeadline = null;
  };

  // The open connection is over: its answer in progress is cut and its unconfirmed audio kept for replay.
  const leaveOpen = () => {
    if (s.speaking) fx.push({ type: 'cutTurn', generation: s.generation }, { type: 'dropPlayback' });
    s.speaking = false;
    s.replay = [...s.replay, ...s.unconfirmed.map(({ sentAt: _, ...c }) => c)];
    bound(s.replay, t.maxUnconfirmedMs);
    s.unconfirmed = [];
    s.goAwayDeadline = null;
  };

  const retry = (kind: CloseKind, sentence: string) => {
    if (s.failures > t.maxFailures) {
      fail(`Live mode could not reconnect to Gemini after ${s.failures} attempts. ${sentence}`);
      return;
    }
    s.notice = sentence;
    const backoff = t.backoffMs[Math.min(s.failures, t.backoffMs.length - 1)]!;
    const delay = kind === 'quota' ? Math.max(backoff, t.quotaBackoffMs) : backoff;
    if (delay === 0 && !s.offline) { attempt(); return; }
    s.phase = 'reconnecting';
    s.retryAt = s.offline ? null : now + delay;
  };

  // A socket of ours ended (or never opened): decide between resuming, a fresh session, waiting, giving up.
  const lost = (code: number, reason: string) => {
    const wasOpen = s.phase === 'open';
    const meaning = describeClose(code, reason, s.attemptResumes && !wasOpen);
    if (wasOpen) { leaveOpen(); s.stats.drops++; } else s.failures++;
    s.attemptDeadline = null;
    switch (meaning.kind) {
      case 'handle':
        s.handle = null;
        s.seedSummary = true;
        s.notice = meaning.sentence;
        attempt();
        return;
      case 'auth':
        if (++s.authFailures >= t.maxAuthFailures) return fail(meaning.sentence);
        return retry('auth', meaning.sentence);
      case 'model':
        return fail(meaning.sentence);
      case 'bad-request':
        if (!wasOpen || s.failures > 0) return fail(meaning.sentence);
        return retry('bad-request', meaning.sentence);
      default:
        return retry(meaning.kind, meaning.sentence);
    }
  };

  const switchDue = () => {
    if (s.phase !== 'open' || s.goAwayDeadline === null) return false;
    if (now >= s.goAwayDeadline - t.goAwayMarginMs) return true;
    return !s.speaking && (s.handleCurrent || now >= s.turnEndedAt + t.handleWaitMs);
  };

  const switchNow = () => {
    leaveOpen();
    s.stats.goAways++;
    fx.push({ type: 'close', generation: s.generation, code: 1000, reason: 'Switching connection before goAway.' });
    attempt();
  };

  switch (event.type) {
    case 'start':
      if (s.phase !== 'idle' && s.phase !== 'closed') break;
      s.error = s.notice = null;
      s.failures = s.authFailures = 0;
      attempt();
      break;
    case 'setupComplete': {
      if (!ATTEMPTING.has(s.phase)) break;
      const resumed = s.attemptResumes;
      if (resumed) s.stats.resumes++;
      else if (s.phase === 'fresh') s.stats.freshSessions++;
      if (s.phase === 'fresh') s.seedSummary = false;
      s.phase = 'open';
      s.attemptDeadline = s.retryAt = null;
      s.failures = s.authFailures = 0;
      s.notice = null;
      s.speaking = false;
      s.handleCurrent = true;
      s.turnEndedAt = now;
      // A new session (not resumed) already has the conversation as a summary: replay would repeat it.
      const send = resumed ? [...s.replay, ...s.pending] : s.pending;
      s.replay = []; s.pending = [];
      if (send.length) {
        fx.push({ type: 'sendAudio', generation: s.generation, chunks: send });
        s.unconfirmed = send.map((c) => ({ ...c, sentAt: now }));
      }
      break;
    }
    case 'resumptionUpdate':
      if (s.phase !== 'open' || event.resumable === false || !event.newHandle) break;
      s.handle = event.newHandle;
      s.handleAt = now;
      s.handleCurrent = !s.speaking;
      s.unconfirmed = s.unconfirmed.filter((c) => c.sentAt > now - t.inFlightMs);
      if (switchDue()) switchNow();
      break;
    case 'goAway':
      if (s.phase !== 'open') break;
      s.goAwayDeadline = now + Math.max(0, event.timeLeftMs);
      if (switchDue()) switchNow();
      break;
    case 'serverContent':
      if (s.phase !== 'open') break;
      if (event.modelOutput && !s.speaking) { s.speaking = true; s.handleCurrent = false; }
      if (event.turnComplete || event.interrupted) { s.speaking = false; s.turnEndedAt = now; }
      if (switchDue()) switchNow();
      break;
    case 'closed':
      if (s.phase === 'open' || ATTEMPTING.has(s.phase)) lost(event.code, event.reason);
      break;
    case 'connectFailed':
      if (!ATTEMPTING.has(s.phase)) break;
      if (event.fatal) { fail(event.reason); break; }
      lost(1006, event.reason);
      break;
    case 'offline':
      s.offline = true;
      if (s.phase === 'open' || ATTEMPTING.has(s.phase)) {
        if (s.phase === 'open') { leaveOpen(); s.stats.drops++; }
        fx.push({ type: 'close', generation: s.generation, code: 1000, reason: 'The network went offline.' });
        s.attemptDeadline = null;
        s.phase = 'reconnecting';
      }
      if (s.phase === 'reconnecting') {
        s.retryAt = null;
        s.notice = 'The network is offline. Live mode will reconnect when it is back; what you say meanwhile is kept.';
      }
      break;
    case 'online':
      s.offline = false;
      if (s.phase === 'reconnecting' && s.retryAt === null) attempt();
      break;
    case 'mic':
      if (s.phase === 'open') {
        fx.push({ type: 'sendAudio', generation: s.generation, chunks: [event.chunk] });
        s.unconfirmed.push({ ...event.chunk, sentAt: now });
        bound(s.unconfirmed, t.maxUnconfirmedMs);
      } else if (s.phase !== 'idle' && s.phase !== 'closed') {
        s.pending.push(event.chunk);
        s.droppedMs += bound(s.pending, t.maxPendingMs);
      }
      break;
    case 'timer':
      if (switchDue()) switchNow();
      else if (ATTEMPTING.has(s.phase) && s.attemptDeadline !== null && now >= s.attemptDeadline) {
        fx.push({ type: 'close', generation: s.generation, code: 1000, reason: 'Setup timed out.' });
        lost(1006, 'Gemini did not answer the setup in time.');
      } else if (s.phase === 'reconnecting' && s.retryAt !== null && now >= s.retryAt) attempt();
      break;
    case 'end':
      if (s.phase === 'closed') break;
      if (s.phase === 'open' && s.speaking) fx.push({ type: 'cutTurn', generation: s.generation }, { type: 'dropPlayback' });
      if (s.phase !== 'idle') fx.push({ type: 'close', generation: s.generation, code: 1000, reason: 'Conversation ended.' });
      fail('');
      s.error = s.notice = null;
      s.handle = null;
      s.speaking = false;
      break;
  }

  const due = nextWake(s, t);
  if (due !== s.wakeAt) { s.wakeAt = due; if (due !== null) fx.push({ type: 'wake', at: due }); }
  return { state: s, effects: fx };
}

/** When the machine next needs a `timer` event (ms), or null. */
function nextWake(s: LiveState, t: LiveTiming): number | null {
  if (s.phase === 'reconnecting') return s.retryAt;
  if (ATTEMPTING.has(s.phase)) return s.attemptDeadline;
  if (s.phase === 'open' && s.goAwayDeadline !== null) {
    const last = s.goAwayDeadline - t.goAwayMarginMs;
    return s.speaking ? last : Math.min(last, s.turnEndedAt + t.handleWaitMs);
  }
  return null;
}
