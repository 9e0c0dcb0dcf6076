// The reconnect machine, event by event: goAway, 1011, refused or expired handles, the network,
// a restarted worker, and the closes that must stop rather than retry.
import { describe, expect, it } from 'vitest';
import { initialLiveState, LIVE_TIMING, step, type AudioChunk, type LiveEffect, type LiveEvent, type LiveState } from '../../lib/core/live/reconnect.ts';
import { restore, snapshot } from '../../lib/core/live/reconnect-snapshot.ts';
import { describeClose } from '../../lib/core/live/close-codes.ts';

/** Runs events in order; returns the final state and every effect. */
function run(events: LiveEvent[], from: LiveState = initialLiveState()) {
  let state = from;
  const effects: LiveEffect[] = [];
  for (const e of events) { const r = step(state, e); state = r.state; effects.push(...r.effects); }
  return { state, effects };
}
const of = <T extends LiveEffect['type']>(fx: LiveEffect[], type: T) => fx.filter((e): e is Extract<LiveEffect, { type: T }> => e.type === type);
const chunk = (seq: number): AudioChunk => ({ data: `c${seq}`, ms: 40, seq });
const sentSeqs = (fx: LiveEffect[]) => of(fx, 'sendAudio').flatMap((e) => e.chunks.map((c) => c.seq));

/** A conversation open on socket 1 with handle h1 (received at t=1000). */
function opened(): LiveState {
  return run([
    { type: 'start', now: 0 },
    { type: 'setupComplete', generation: 1, now: 100 },
    { type: 'resumptionUpdate', generation: 1, newHandle: 'h1', resumable: true, now: 1000 },
  ]).state;
}

describe('reconnect machine', () => {
  it('opens a first session, then sends microphone audio straight away', () => {
    const a = run([{ type: 'start', now: 0 }]);
    expect(a.state.phase).toBe('connecting');
    expect(of(a.effects, 'connect')).toEqual([{ type: 'connect', generation: 1, handle: null, seedSummary: false }]);
    const b = run([{ type: 'mic', chunk: chunk(0), now: 50 }, { type: 'setupComplete', generation: 1, now: 100 }, { type: 'mic', chunk: chunk(1), now: 140 }], a.state);
    expect(b.state.phase).toBe('open');
    expect(sentSeqs(b.effects)).toEqual([0, 1]); // the chunk spoken while connecting is not lost
  });

  it('on goAway between answers, switches at once to a new socket with the newest handle, losing no audio', () => {
    const { state, effects } = run([
      { type: 'mic', chunk: chunk(0), now: 1500 },
      { type: 'goAway', generation: 1, timeLeftMs: 50_000, now: 2000 },
      { type: 'mic', chunk: chunk(1), now: 2040 },
      { type: 'serverContent', generation: 1, modelOutput: true, now: 2050 }, // the old socket: stale
      { type: 'setupComplete', generation: 2, now: 2200 },
    ], opened());
    expect(effects.filter((e) => e.type === 'close' || e.type === 'connect')).toEqual([
      { type: 'close', generation: 1, code: 1000, reason: 'Switching connection before goAway.' },
      { type: 'connect', generation: 2, handle: 'h1', seedSummary: false },
    ]);
    expect(state).toMatchObject({ phase: 'open', generation: 2, speaking: false });
    expect(state.stats).toMatchObject({ goAways: 1, resumes: 1 });
    // Chunk 0 went to socket 1 after the handle, so the resumed session lacks it: sent again, then chunk 1.
    expect(of(effects, 'sendAudio').at(-1)).toEqual({ type: 'sendAudio', generation: 2, chunks: [chunk(0), chunk(1)] });
  });

  it('on goAway mid-answer, waits for the answer and the handle that includes it', () => {
    const a = run([
      { type: 'serverContent', generation: 1, modelOutput: true, now: 1100 },
      { type: 'goAway', generation: 1, timeLeftMs: 30_000, now: 1200 },
    ], opened());
    expect(of(a.effects, 'connect')).toEqual([]);
    expect(of(a.effects, 'wake')).toEqual([{ type: 'wake', at: 1200 + 30_000 - LIVE_TIMING.goAwayMarginMs }]);
    const b = run([
      { type: 'serverContent', generation: 1, turnComplete: true, now: 4000 },
      { type: 'resumptionUpdate', generation: 1, newHandle: 'h2', resumable: true, now: 4010 },
    ], a.state);
    expect(of(b.effects, 'connect')).toEqual([{ type: 'connect', generation: 2, handle: 'h2', seedSummary: false }]);
    expect(of(b.effects, 'cutTurn')).toEqual([]); // the answer finished: nothing cut, its audio plays out
  });

  it('switches before the goAway deadline even mid-answer, cutting the answer and its audio', () => {
    const a = run([
      { type: 'serverContent', generation: 1, modelOutput: true, now: 1100 },
      { type: 'goAway', generation: 1, timeLeftMs: 5000, now: 1200 },
      { type: 'timer', now: 1200 + 5000 - LIVE_TIMING.goAwayMarginMs },
    ], opened());
    expect(a.effects.map((e) => e.type)).toEqual(['wake', 'cutTurn', 'dropPlayback', 'close', 'connect', 'wake']);
    expect(of(a.effects, 'connect')[0]).toMatchObject({ generation: 2, handle: 'h1' });
  });

  it('on 1011 resumes at once; if that fails too, backs off 500 ms, then 1 s', () => {
    const a = run([{ type: 'closed', generation: 1, code: 1011, reason: 'Internal error encountered.', now: 5000 }], opened());
    expect(of(a.effects, 'connect')).toEqual([{ type: 'connect', generation: 2, handle: 'h1', seedSummary: false }]);
    expect(a.state.notice).toBe('Gemini had a server error (1011) (Internal error encountered). Reconnecting.');
    const b = run([{ type: 'closed', generation: 2, code: 1011, reason: '', now: 5100 }], a.state);
    expect(b.state).toMatchObject({ phase: 'reconnecting', retryAt: 5600 });
    expect(of(b.effects, 'wake')).toEqual([{ type: 'wake', at: 5600 }]);
    const c = run([{ type: 'timer', now: 5600 }, { type: 'closed', generation: 3, code: 1006, reason: '', now: 5700 }], b.state);
    expect(of(c.effects, 'connect')[0]).toMatchObject({ generation: 3, handle: 'h1' });
    expect(c.state.retryAt).toBe(6700);
  });

  it('when the handle is refused, starts a new session seeded with a summary, and sends what was said meanwhile', () => {
    const a = run([
      { type: 'closed', generation: 1, code: 1011, reason: '', now: 5000 },
      { type: 'mic', chunk: chunk(7), now: 5050 },
      { type: 'closed', generation: 2, code: 1008, reason: 'Invalid session resumption handle.', now: 5100 },
    ], opened());
    expect(of(a.effects, 'connect').at(-1)).toEqual({ type: 'connect', generation: 3, handle: null, seedSummary: true });
    expect(a.state.phase).toBe('fresh');
    expect(a.state.notice).toMatch(/could not resume.*new session from a summary/);
    const b = run([{ type: 'setupComplete', generation: 3, now: 5300 }], a.state);
    expect(b.state.stats.freshSessions).toBe(1);
    expect(b.state.seedSummary).toBe(false);
    expect(sentSeqs(b.effects)).toEqual([7]);
  });

  it('does not try a handle older than about 2 hours', () => {
    const old = restore(snapshot(opened()));
    const { effects } = run([{ type: 'start', now: 1000 + LIVE_TIMING.handleTtlMs + 1 }], old);
    expect(of(effects, 'connect')).toEqual([{ type: 'connect', generation: 2, handle: null, seedSummary: true }]);
  });

  it('after a worker restart, resumes the same session from the saved snapshot', () => {
    const saved = snapshot(run([{ type: 'mic', chunk: chunk(1), now: 1100 }], opened()).state);
    expect(saved).not.toContain('c1'); // audio stays with the microphone's page
    const restored = restore(saved);
    expect(restored).toMatchObject({ phase: 'idle', handle: 'h1', generation: 1, pending: [], unconfirmed: [] });
    const { state, effects } = run([{ type: 'start', now: 2000 }, { type: 'setupComplete', generation: 2, now: 2100 }], restored);
    expect(of(effects, 'connect')).toEqual([{ type: 'connect', generation: 2, handle: 'h1', seedSummary: false }]);
    expect(state.stats.resumes).toBe(1);
    expect(() => restore('{"nope":1}')).toThrow(SyntaxError);
    expect(restore(snapshot(run([{ type: 'end', now: 5 }], opened()).state)).phase).toBe('closed');
  });

  it('waits for the network instead of spinning, keeping what is said while offline', () => {
    const a = run([{ type: 'offline', now: 3000 }, { type: 'mic', chunk: chunk(3), now: 3040 }, { type: 'timer', now: 60_000 }], opened());
    expect(of(a.effects, 'close')).toEqual([{ type: 'close', generation: 1, code: 1000, reason: 'The network went offline.' }]);
    expect(of(a.effects, 'connect')).toEqual([]);
    expect(a.state).toMatchObject({ phase: 'reconnecting', retryAt: null });
    const b = run([{ type: 'online', now: 61_000 }, { type: 'setupComplete', generation: 2, now: 61_200 }], a.state);
    expect(of(b.effects, 'connect')[0]).toMatchObject({ generation: 2, handle: 'h1' });
    expect(sentSeqs(b.effects)).toEqual([3]);
  });

  it('bounds audio kept while disconnected, counting what it drops', () => {
    let state = run([{ type: 'offline', now: 3000 }], opened()).state;
    for (let i = 0; i < 600; i++) state = step(state, { type: 'mic', chunk: chunk(i), now: 3000 + i * 40 }).state;
    expect(state.pending.length * 40).toBe(LIVE_TIMING.maxPendingMs);
    expect(state.droppedMs).toBe(600 * 40 - LIVE_TIMING.maxPendingMs);
  });

  it('gives up with a sentence on a refused token (twice), an invalid request while connecting, or a model without Live', () => {
    const token = run([
      { type: 'closed', generation: 1, code: 1008, reason: 'API key expired.', now: 10 },
      { type: 'closed', generation: 2, code: 1008, reason: 'API key expired.', now: 20 },
    ], opened());
    expect(token.state.phase).toBe('closed');
    expect(token.state.error).toMatch(/1008.*token.*Settings/);
    const bad = run([{ type: 'start', now: 0 }, { type: 'closed', generation: 1, code: 1007, reason: 'Request contains an invalid argument.', now: 10 }]);
    expect(bad.state.error).toMatch(/bad request \(1007\)/);
    const model = run([{ type: 'start', now: 0 }, { type: 'closed', generation: 1, code: 1008, reason: 'models/x is not found for API version v1beta, or is not supported for bidiGenerateContent.', now: 10 }]);
    expect(model.state.error).toMatch(/cannot hold a Live conversation/);
  });

  it('retries a setup that never completes, and gives up after too many failures', () => {
    let { state } = run([{ type: 'start', now: 0 }]);
    let now = 0;
    for (let i = 0; i < 20 && state.phase !== 'closed'; i++) {
      now = state.phase === 'reconnecting' ? state.retryAt! : state.attemptDeadline!;
      state = step(state, { type: 'timer', now }).state;
    }
    expect(state.phase).toBe('closed');
    expect(state.error).toMatch(/could not reconnect to Gemini after 9 attempts/);
    expect(state.stats.connects).toBe(9);
  });

  it('ends cleanly: closes the socket, cuts the answer in progress, ignores later audio', () => {
    const { state, effects } = run([
      { type: 'serverContent', generation: 1, modelOutput: true, now: 1100 },
      { type: 'end', now: 1200 },
      { type: 'mic', chunk: chunk(9), now: 1300 },
      { type: 'closed', generation: 1, code: 1000, reason: '', now: 1300 },
    ], opened());
    expect(effects.map((e) => e.type)).toEqual(['cutTurn', 'dropPlayback', 'close']);
    expect(state).toMatchObject({ phase: 'closed', error: null, handle: null, pending: [] });
  });
});

describe('close codes in words', () => {
  it('names 1007, 1008 and 1011 and says what to do', () => {
    expect(describeClose(1007, 'Request contains an invalid argument.').sentence).toBe(
      'Gemini refused a message as a bad request (1007) (Request contains an invalid argument). End the conversation and start again; if it repeats, report it.');
    expect(describeClose(1008, '')).toMatchObject({ kind: 'auth', sentence: expect.stringMatching(/expired or invalid token.*Check the access token/) });
    expect(describeClose(1011, '')).toMatchObject({ kind: 'retry', sentence: 'Gemini had a server error (1011). Reconnecting.' });
    expect(describeClose(1011, 'Quota exceeded for quota metric')).toMatchObject({ kind: 'quota' });
    expect(describeClose(1000)).toMatchObject({ kind: 'normal' });
  });
});
