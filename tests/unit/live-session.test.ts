// The Live conversation driver against a simulated server on a virtual clock: an hour of talk
// through goAways and 1011s, a refused handle, and a restarted worker, with nothing lost.
import { describe, expect, it } from 'vitest';
import { LiveSession, type LiveSessionHooks } from '../../lib/core/live/session.ts';
import { restore } from '../../lib/core/live/reconnect-snapshot.ts';
import { LiveSim, speak, VirtualClock, type SimOptions } from '../support/live-sim.ts';

const MIN = 60_000;
/** Utterance k starts at 1 s + 20 s·k and lasts 2 s (50 chunks of 40 ms); its answer takes about 3.5 s. */
const utterances = (untilMs: number) => {
  const out: { k: number; at: number }[] = [];
  for (let k = 0; 1000 + 20_000 * k + 10_000 < untilMs; k++) out.push({ k, at: 1000 + 20_000 * k });
  return out;
};

function harness(extra: LiveSessionHooks = {}, simOpts: SimOptions = {}) {
  const clock = new VirtualClock();
  const sim = new LiveSim(clock, simOpts);
  const played: { generation: number; current: number }[] = [];
  let drops = 0;
  let saved = '';
  const hooks: LiveSessionHooks = {
    onAudio: (_pcm, generation) => played.push({ generation, current: session.state.generation }),
    onDropPlayback: () => { drops++; },
    onState: (_s, snap) => { saved = snap; },
    ...extra,
  };
  let session = new LiveSession(sim.transport, clock, hooks);
  return {
    clock, sim, played, hooks,
    get session() { return session; },
    set session(s: LiveSession) { session = s; },
    get drops() { return drops; },
    get saved() { return saved; },
  };
}

/** Lines of the transcript as "role status text" for compact assertions. */
const texts = (s: LiveSession, role: 'user' | 'model', status = 'complete') =>
  s.transcript.lines.filter((l) => l.role === role && l.status === status).map((l) => l.text.trim());

describe('LiveSession on a simulated Live server', () => {
  it('talks for 60 minutes through a goAway every 10 minutes and three 1011s, losing no transcript line and no audio', async () => {
    // The server's own 10-minute limit is replaced by a goAway every 10 minutes on the dot (each one
    // lands 4 s in, in the middle of an answer), with 60 s to go.
    const h = harness({}, { connectionMs: Infinity });
    const end = 60 * MIN;
    const said = utterances(end);
    speak(h.clock, (c) => h.session.sendAudio(c), end, said);
    for (let i = 1; i <= 5; i++) h.clock.at(i * 10 * MIN + 4000, () => h.sim.goAway(60_000));
    // Two 1011s in the middle of an answer, one while the person is speaking.
    for (const at of [20_000 * 39 + 4500, 20_000 * 82 + 4500, 20_000 * 132 + 2000]) h.clock.at(at, () => h.sim.fail(1011));
    h.session.start();
    await h.clock.runUntil(end + 10_000);

    const s = h.session;
    // Every utterance shows once, complete; every one has a complete answer (a cut one is answered again).
    expect(texts(s, 'user')).toEqual(said.map(({ k }) => `Utterance ${k}.`));
    const answers = texts(s, 'model');
    expect(answers).toEqual(said.map(({ k }) => Array.from({ length: 6 }, (_, j) => `Answer ${k} part ${j}.`).join(' ')));
    expect(s.transcript.lines.filter((l) => l.status === 'partial')).toEqual([]);
    const cut = s.transcript.lines.filter((l) => l.status === 'cut');
    expect(cut.length).toBe(2); // the two answers the 1011s cut off stay in the log, marked cut

    // Every microphone chunk reached the server; the final session heard every utterance in full.
    const received = new Set(h.sim.received.map((c) => c.seq));
    const chunks = Math.ceil(end / 40);
    expect(received.size).toBe(chunks);
    expect(s.state.droppedMs).toBe(0);

    // Connections: about 10 minutes each, switched before their end; three drops, all resumed.
    expect(s.state.stats.drops).toBe(3);
    expect(s.state.stats.goAways).toBe(5);
    expect(s.state.stats.freshSessions).toBe(0);
    expect(s.state.stats.resumes).toBe(s.state.stats.goAways + 3);
    expect(h.sim.log.filter((l) => l.includes('1000'))).toEqual([]); // no connection reached its hard end

    // Audio only ever came from the connection current at the time; cut answers stopped playback.
    expect(h.played.every((p) => p.generation === p.current)).toBe(true);
    expect(h.drops).toBeGreaterThanOrEqual(2);
    // Usage: the sum over every answered turn (each turn reports 100·k + 50).
    expect(s.usage.total.total).toBe(said.reduce((n, { k }) => n + 100 * k + 50, 0));
    expect(s.state.phase).toBe('open');
    s.end();
  }, 60_000);

  it('starts a new session seeded with a summary when the handle is refused, and keeps talking', async () => {
    let summaries = 0;
    const h = harness({ summary: () => { summaries++; return 'Earlier: utterances 0 and 1 were answered.'; } });
    const end = 2 * MIN;
    const said = utterances(end);
    speak(h.clock, (c) => h.session.sendAudio(c), end, said);
    h.clock.at(50_000, () => { h.sim.handles.clear(); h.sim.fail(1011); });
    h.session.start();
    await h.clock.runUntil(end + 10_000);

    expect(summaries).toBe(1);
    expect(h.sim.log.some((l) => l.includes('fresh'))).toBe(true);
    expect(h.sim.connections.find((c) => c.req.summary)?.req.summary).toBe('Earlier: utterances 0 and 1 were answered.');
    expect(h.session.state.stats.freshSessions).toBe(1);
    expect(texts(h.session, 'user')).toEqual(said.map(({ k }) => `Utterance ${k}.`));
    expect(texts(h.session, 'model').length).toBe(said.length);
  });

  it('resumes the same session after the worker restarts, from the snapshot it saved', async () => {
    const h = harness();
    const end = 2 * MIN;
    const said = utterances(end);
    speak(h.clock, (c) => h.session.sendAudio(c), end, said);
    h.session.start();
    await h.clock.runUntil(45_000);
    const before = h.session.transcript.lines.length;
    // The worker dies: its socket goes with it, and a new worker restores the saved state.
    h.sim.current!.open = false;
    const oldGeneration = h.session.state.generation;
    h.session = new LiveSession(h.sim.transport, h.clock, h.hooks, { state: restore(h.saved) });
    h.session.start();
    await h.clock.runUntil(end + 10_000);

    expect(before).toBeGreaterThan(0);
    expect(h.sim.log.at(-1)).toMatch(new RegExp(`gen ${oldGeneration + 1} resume$`));
    expect(h.session.state.stats.resumes).toBe(1);
    // The new worker's log starts where the old one's ended (the conversation layer keeps both).
    const later = said.filter(({ at }) => at > 45_000).map(({ k }) => `Utterance ${k}.`);
    expect(texts(h.session, 'user')).toEqual(later);
  });
});
