/**
 * bench:live, part 1: a 60-minute Live conversation on a virtual clock — the product's own session driver
 * (lib/core/live/session.ts, the pure reconnect machine) against the simulated Live server of
 * tests/support/live-sim.ts, with a `goAway` every 10 minutes (each landing in the middle of an answer) and
 * three injected 1011s. It counts transcript lines lost, microphone audio lost, and the size of what the client
 * sends to open each connection (the `setup` message the official SDK writes, plus the audio replayed into a
 * resumed session), which must stay flat over the hour. The baseline, computed in the same run: a client
 * without resumption handles that seeds every new connection with the conversation so far.
 */
import { LiveSession } from '../lib/core/live/session.ts';
import { liveConfig } from '../lib/live/transport.ts';
import { LiveSim, speak, VirtualClock } from '../tests/support/live-sim.ts';
import type { OpenRequest } from '../lib/core/live/session.ts';

const MIN = 60_000;
const MODEL = 'models/gemini-live-2.5-flash-preview';

/** What the hour produced. */
export interface HourResult {
  utterances: number;
  lostUserLines: number;
  lostAnswers: number;
  cutAnswers: number;
  lostChunks: number;
  droppedMs: number;
  connections: number;
  goAways: number;
  drops: number;
  freshSessions: number;
  /** Bytes of the `setup` message that opened each connection, in order. */
  setupBytes: number[];
  /** Audio (ms) sent at once when each connection opened: buffered while connecting, or replayed into a resumed session. */
  openAudioMs: number[];
  /** The setup's bytes for a client that seeds every new connection with the conversation so far. */
  naiveSetupBytes: number[];
  /** Audio sent per minute of talk (ms), every minute. */
  audioMsPerMinute: number[];
  wallMs: number;
}

/** The `setup` message the SDK sends for `req` (model, config), as bytes of JSON. */
const setupBytes = (req: Pick<OpenRequest, 'handle' | 'summary'>) =>
  Buffer.byteLength(JSON.stringify({ setup: { model: MODEL, ...liveConfig({}, req) } }));

/** Runs the hour. */
export async function runHour(): Promise<HourResult> {
  const t0 = performance.now();
  const clock = new VirtualClock();
  const sim = new LiveSim(clock, { connectionMs: Infinity });
  const session = new LiveSession(sim.transport, clock, { summary: () => 'A summary of the conversation so far.' });
  const end = 60 * MIN;
  const said: { k: number; at: number }[] = [];
  for (let k = 0; 1000 + 20_000 * k + 10_000 < end; k++) said.push({ k, at: 1000 + 20_000 * k });
  // Every microphone chunk sent (replays included), with the clock time.
  const sent: { at: number; ms: number }[] = [];
  const inner = sim.transport.open.bind(sim.transport);
  const setupSizes: number[] = [];
  const openAudioMs: number[] = [];
  const naiveSetupBytes: number[] = [];
  sim.transport.open = async (req) => {
    // The naive client: no handle, the whole transcript so far as the seed.
    const history = session.transcript.lines.map((l) => `${l.role === 'user' ? 'Person' : 'Gemini'}: ${l.text}`).join('\n');
    naiveSetupBytes.push(setupBytes({ handle: null, summary: history }));
    const socket = await inner(req);
    setupSizes.push(setupBytes(req));
    const index = openAudioMs.push(0) - 1;
    const openedAt = clock.now();
    let first = true;
    return {
      ...socket,
      sendAudio(chunks) {
        // What goes at once on opening (buffered and replayed audio) counts towards opening the connection.
        if (first && clock.now() === openedAt) openAudioMs[index] = chunks.reduce((n, c) => n + c.ms, 0);
        first = false;
        for (const c of chunks) sent.push({ at: clock.now(), ms: c.ms });
        socket.sendAudio(chunks);
      },
    };
  };
  speak(clock, (c) => session.sendAudio(c), end, said);
  for (let i = 1; i <= 5; i++) clock.at(i * 10 * MIN + 4000, () => sim.goAway(60_000));
  for (const at of [20_000 * 39 + 4500, 20_000 * 82 + 4500, 20_000 * 132 + 2000]) clock.at(at, () => sim.fail(1011));
  session.start();
  await clock.runUntil(end + 10_000);

  const complete = (role: string) => session.transcript.lines.filter((l) => l.role === role && l.status === 'complete').map((l) => l.text.trim());
  const users = new Set(complete('user'));
  const answers = new Set(complete('model'));
  const expectedAnswer = (k: number) => Array.from({ length: 6 }, (_, j) => `Answer ${k} part ${j}.`).join(' ');
  const received = new Set(sim.received.map((c) => c.seq));
  const audioMsPerMinute = Array.from({ length: 60 }, (_, m) => sent.filter((s) => s.at >= m * MIN && s.at < (m + 1) * MIN).reduce((n, s) => n + s.ms, 0));
  const stats = session.state.stats;
  session.end();
  return {
    utterances: said.length,
    lostUserLines: said.filter(({ k }) => !users.has(`Utterance ${k}.`)).length,
    lostAnswers: said.filter(({ k }) => !answers.has(expectedAnswer(k))).length,
    cutAnswers: session.transcript.lines.filter((l) => l.status === 'cut').length,
    lostChunks: Math.ceil(end / 40) - received.size,
    droppedMs: session.state.droppedMs,
    connections: sim.connections.length,
    goAways: stats.goAways,
    drops: stats.drops,
    freshSessions: stats.freshSessions,
    setupBytes: setupSizes,
    openAudioMs,
    naiveSetupBytes,
    audioMsPerMinute,
    wallMs: performance.now() - t0,
  };
}
