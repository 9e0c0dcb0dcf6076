/**
 * bench:live, part 3: the same path in Firefox ESR, where the panel page (the sidebar opened as a tab) holds the
 * Live socket. The probe of tests/support/live-probe.ts is installed in that page with a plain evaluate. Firefox's
 * fake microphone is a pure tone, so its 40 ms chunks are alike: a chunk is matched to its copy at the stand-in by
 * order on the socket (one connection is one ordered stream), and to the worklet's hand-over by time (the page sends
 * each chunk from the hand-over's own handler). An audio output is a PulseAudio null sink (docs/firefox.md).
 * The microphone figure joins the page's clock and Node's (Firefox's `performance.timeOrigin` may sit a
 * millisecond or so off the system clock), so it is good to about a millisecond; the others use one clock.
 */
import { launchFirefox, waitFor, type FirefoxHarness } from '../tests/support/firefox.ts';
import { startColorSite, startStack, TEST_TOKEN } from '../tests/support/stack.ts';
import { clickButton, configureFirefoxPanel, expectSharingFirefox } from '../tests/support/firefox-panel.ts';
import { installProbe, takeProbe } from '../tests/support/live-probe.ts';
import type { LiveConnection } from '../tests/support/fake-live.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Firefox's figures: samples (ms) of each path. */
export interface FirefoxLive {
  micToServer: number[];
  toPlaying: number[];
  /** The part of toPlaying before the player schedules the chunk (socket message -> AudioBufferSourceNode.start). */
  toScheduled: number[];
  /** The player's lead: start() called -> the context reaches the chunk's start time. */
  lead: number[];
  gaps: number[];
}

/**
 * Sends (page) and arrivals (stand-in) of one connection, in order: the sends are aligned with the arrivals where
 * every arrival comes after its send and the latencies are least (a shift by one chunk adds 40 ms to each); the
 * latency of each pair.
 */
function byOrder(sends: number[], arrivals: number[]): number[] {
  let best: number[] = [];
  let bestMean = Infinity;
  for (let start = 0; start + sends.length <= arrivals.length; start++) {
    const pairs = sends.map((s, i) => arrivals[start + i]! - s);
    const mean = pairs.reduce((a, b) => a + b, 0) / pairs.length;
    if (pairs.every((d) => d >= 0) && mean < bestMean) {
      best = pairs;
      bestMean = mean;
    }
  }
  return best;
}

export async function firefoxFigures(answers: number, goAways: number): Promise<FirefoxLive> {
  const stack = await startStack({}, { live: true });
  const live = stack.live!;
  const site = await startColorSite();
  let firefox: FirefoxHarness | undefined;
  try {
    firefox = await launchFirefox({ nullAudio: true });
    await firefox.openWindow(`${site.url}?c=rgb(30,90,160)`);
    const panel = await firefox.openPanel();
    await configureFirefoxPanel(panel, stack.proxy.url, TEST_TOKEN);
    await clickButton(panel, 'Share this tab');
    await expectSharingFirefox(panel);
    await panel.evaluate(installProbe);
    const take = () => panel.evaluate(takeProbe);
    await clickButton(panel, 'Start talking');
    let conn: LiveConnection = await live.connection(1, 15_000);
    await conn.waitFor((c) => c.audio.length >= 25, 15_000);

    await take();
    await sleep(8000);
    const mic = await take();
    await sleep(500); // the last sends arrive
    // Send -> stand-in by order; hand-over -> send by time (the newest hand-over at or before the send).
    const sends = mic.sends.map((s) => s.at);
    const wire = byOrder(sends, conn.audio.map((a) => a.at));
    const handOver = sends.map((at) => at - (mic.chunks.filter((c) => c.at <= at).at(-1)?.at ?? NaN));
    const micToServer = wire.map((w, i) => w + (handOver[i] ?? NaN)).filter(Number.isFinite);

    const toPlaying: number[] = [];
    const toScheduled: number[] = [];
    const lead: number[] = [];
    for (let i = 0; i < answers; i++) {
      // Cleared just before the answer: everything recorded next is this answer's (no comparison across clocks).
      await take();
      await conn.answer({ text: `Answer ${i}.`, chunks: 3, delayMs: 20 });
      await sleep(1000); // the answer (300 ms of audio) has played out: the next one starts on an empty queue
      const rec = await take();
      const first = rec.recv.find((r) => r.bytes > 3000);
      const played = first && rec.starts.find((s) => s.at >= first.at);
      if (first && played) {
        toPlaying.push(played.startsAt - first.at);
        toScheduled.push(played.at - first.at);
        lead.push(played.startsAt - played.at);
      }
    }

    const gaps: number[] = [];
    for (let i = 0; i < goAways; i++) {
      const before = conn;
      before.goAway(2000);
      conn = await live.connection(before.id + 1, 10_000);
      await conn.waitFor((c) => c.audio.length >= 10, 10_000);
      const lastOld = before.audio.filter((a) => a.at < conn.audio[0]!.at).at(-1)!;
      gaps.push(conn.audio[0]!.at - lastOld.at);
      await sleep(1000);
    }
    await clickButton(panel, 'End conversation');
    await waitFor(async () => conn.closed !== null, 10_000, 'end the conversation');
    return { micToServer, toPlaying, toScheduled, lead, gaps };
  } finally {
    await firefox?.close();
    await site.close();
    await stack.close();
  }
}
