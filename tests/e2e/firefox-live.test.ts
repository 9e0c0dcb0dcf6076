/**
 * Live mode in real Firefox ESR: the built extension, the real proxy, the stand-in Live server as the proxy's Live
 * upstream, and Firefox's fake microphone (`media.navigator.streams.fake`, no prompt with
 * `media.navigator.permission.disabled`). Firefox has no offscreen document: the panel page (the sidebar, here
 * opened as a tab) holds the socket, the microphone (an AudioContext at the device's rate, resampled to 16 kHz in
 * the AudioWorklet) and the player, while a tab shared from the event page sends it its frames. A person shares a
 * tab and presses Start talking: 16 kHz PCM reaches the server through the proxy (the real key swapped in), the
 * tab goes along as video, both transcripts show in the conversation log, the answer is heard and barge-in
 * silences it at once (the page's output, tapped by tests/support/live-probe.ts), a forced goAway and a 1011 move
 * to a new connection with the newest handle and the transcript goes on, and End conversation ends it.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launchFirefox, waitFor, type FirefoxHarness } from '../support/firefox.ts';
import { startColorSite, startStack, TEST_KEY, TEST_TOKEN, type Stack } from '../support/stack.ts';
import { askFirefox, clickButton, configureFirefoxPanel, countButtons, expectSharingFirefox, logText } from '../support/firefox-panel.ts';
import type { FakeLiveServer, LiveConnection } from '../support/fake-live.ts';
import { installProbe, outputPeak, takeProbe } from '../support/live-probe.ts';

let stack: Stack;
let live: FakeLiveServer;
let site: Awaited<ReturnType<typeof startColorSite>>;
let firefox: FirefoxHarness;
let panel: Page;

beforeAll(async () => {
  stack = await startStack({}, { live: true });
  live = stack.live!;
  site = await startColorSite();
  // An audio output (a null sink): without one Firefox never runs an AudioContext.
  firefox = await launchFirefox({ nullAudio: true });
  await firefox.openWindow(`${site.url}?c=rgb(220,0,0)`);
  panel = await firefox.openPanel();
  await configureFirefoxPanel(panel, stack.proxy.url, TEST_TOKEN);
});

afterAll(async () => {
  await firefox?.close();
  await site?.close();
  await stack?.close();
});

const bodyText = () => panel.evaluate(() => document.body.textContent ?? '');
const until = (check: () => Promise<boolean>, what: string, ms = 15_000) => waitFor(check, ms, what);
const meterValue = () => panel.evaluate(() => document.querySelector('[role=meter][aria-label="Microphone level"]')?.getAttribute('aria-valuenow') ?? document.querySelector('meter')?.getAttribute('value') ?? '0');

/** The person says `question` (its transcription), and the stand-in answers `answer` with audio. */
async function exchange(conn: LiveConnection, question: string, answer: string): Promise<void> {
  conn.inputTranscription(question);
  await conn.answer({ text: answer, chunks: 3, delayMs: 20 });
  await until(async () => (await logText(panel)).includes(answer), `show "${answer}"`).catch(async (err: Error) => {
    // Whether the extension's process still runs (its microphone chunks keep coming, its page answers) or hangs
    // (as it did when a probe read Firefox's outputLatency: tests/support/live-probe.ts), beside a web page's.
    const a0 = conn.audio.length;
    await new Promise((r) => setTimeout(r, 2000));
    const answers = (p: Promise<unknown> | undefined) =>
      Promise.race([p ? p.then(() => 'yes', (e: Error) => `no (${e.message})`) : 'no page', new Promise((r) => setTimeout(() => r('no answer in 3 s'), 3000))]);
    const web = (await firefox.browser.pages()).find((p) => p.url().startsWith(site.url));
    const alive = await answers(panel.evaluate(() => 1));
    throw new Error(`${err.message}; microphone chunks at the stand-in in 2 s: ${conn.audio.length - a0}; ` +
      `the panel page answers: ${alive}; a web page answers: ${await answers(web?.evaluate(() => 1))}` +
      (alive === 'yes' ? `; the panel said: ${(await bodyText()).replace(/\s+/g, ' ')}` : ''));
  });
  expect(await logText(panel)).toContain(question);
}

describe('Live mode in Firefox', () => {
  it('talks about a shared tab from the panel page through the proxy, stops on barge-in, keeps the transcript through goAway and 1011, and ends', async () => {
    // Which stage was running when it failed: two CI runs timed out at 120 s without saying where (Nov 30). The
    // failure itself now names the stage (the CI log keeps only the failure), and the console says it too.
    let stage = 'share';
    onTestFailed(() => console.error(`[firefox-live] failed in stage "${stage}"; connections: ${live.connections.length}`));
    let stuck: ReturnType<typeof setTimeout> | undefined;
    const guard = new Promise<never>((_, reject) => {
      stuck = setTimeout(() => reject(new Error(`stuck for 110 s, in stage "${stage}" (connections: ${live.connections.length})`)), 110_000);
    });
    try {
      await Promise.race([talk(), guard]);
    } finally {
      clearTimeout(stuck);
    }

    async function talk(): Promise<void> {
      await clickButton(panel, 'Share this tab');
      await expectSharingFirefox(panel);
      // The panel page itself holds the conversation: tap its audio output before Live makes its player.
      await panel.evaluate(installProbe);
      const peak = () => panel.evaluate(outputPeak);

      stage = 'start talking';
      await clickButton(panel, 'Start talking');
      const first = await live.connection(1, 15_000).catch(async (err: Error) => {
        throw new Error(`${err.message}; the panel said: ${await bodyText()}`);
      });
      await until(async () => (await bodyText()).includes('Listening'), 'say Listening');
      expect(first.credential).toBe(TEST_KEY); // the proxy swapped the access token for the key
      expect(first.setup).toMatchObject({ contextWindowCompression: { slidingWindow: {} }, sessionResumption: {} });

      // The fake microphone's tone, captured at the device's rate and resampled: 16 kHz PCM, 40 ms (1280 bytes) a chunk.
      await first.waitFor((c) => c.audio.length >= 10, 15_000);
      expect(new Set(first.audio.map((a) => a.mimeType))).toEqual(new Set(['audio/pcm;rate=16000']));
      expect(first.audio.slice(2, 10).every((a) => a.bytes === 1280)).toBe(true);
      // 25 chunks a second: the worklet delivers real time, whatever the device's rate.
      const n0 = first.audio.length;
      await new Promise((r) => setTimeout(r, 2000));
      expect(first.audio.length - n0).toBeGreaterThanOrEqual(40);
      expect(first.audio.length - n0).toBeLessThanOrEqual(60);
      await until(async () => (await meterValue()) !== '0', 'move the microphone meter', 5000);
      // The tab, sampled in the event page, goes along as video.
      await first.waitFor((c) => c.video.length >= 1, 10_000);
      expect(first.video[0]!.mimeType).toBe('image/jpeg');

      stage = 'first exchange';
      await exchange(first, 'What colour is the page?', 'The page is red.');

      stage = 'burst';
      // 30 pieces of audio and transcript sent back to back, large and small frames in turn: the log shows the
      // words in order (Firefox once finished reading such frames out of order: lib/live/ordered-socket.ts).
      first.inputTranscription('Count to thirty.');
      const counted = `${Array.from({ length: 30 }, (_, i) => `n${i + 1}`).join(' ')}.`;
      await first.answer({ text: counted, chunks: 30, chunkMs: 100, delayMs: 0, separateTranscripts: true });
      await until(async () => (await logText(panel)).includes('n30.'), 'show the counted answer');
      expect(await logText(panel)).toContain(counted);
      await until(async () => (await peak()) === 0, 'play the count out', 8000);

      stage = 'barge-in';
      // Barge-in: answer audio arrives faster than it plays, so it queues; `interrupted` stops it all at once.
      first.inputTranscription('Tell me a long story.');
      await panel.evaluate(takeProbe);
      const long = first.answer({ text: 'Once upon a time there was a very red page that', chunks: 20, chunkMs: 400, delayMs: 80 });
      await until(async () => (await logText(panel)).includes('Once upon'), 'show the long answer');
      await until(async () => (await peak()) > 0.05, 'play the answer', 5000); // the answer is heard
      await until(async () => (await panel.evaluate(() => (globalThis as unknown as { __probe: { starts: unknown[] } }).__probe.starts.length)) >= 6, 'queue over a second of audio', 5000);
      first.interrupt();
      await long;
      await until(async () => (await peak()) === 0, 'fall silent', 1000);
      await new Promise((r) => setTimeout(r, 600));
      expect(await peak()).toBe(0); // nothing of the queue plays later
      expect((await panel.evaluate(takeProbe)).stops.length).toBeGreaterThanOrEqual(3);
      await until(async () => (await logText(panel)).includes('Interrupted.'), 'mark the answer interrupted');

      stage = 'goAway';
      // A forced goAway: the conversation moves to a new connection with the newest handle; nothing is lost.
      first.goAway(2000);
      const second = await live.connection(2, 10_000);
      await second.waitFor((c) => c.setup !== null, 10_000);
      expect(second.resumedFrom).toMatch(/^handle-/);
      await until(async () => (await bodyText()).includes('Listening'), 'say Listening again');
      await second.waitFor((c) => c.audio.length >= 5, 10_000);
      await exchange(second, 'Still there?', 'Yes, still here.');

      stage = '1011';
      // A 1011: reconnect with backoff, resuming again; nothing of the transcript is lost.
      second.fail(1011, 'Internal error encountered.');
      const third = await live.connection(3, 15_000);
      await third.waitFor((c) => c.setup !== null, 10_000);
      expect(third.resumedFrom).toMatch(/^handle-/);
      await until(async () => (await bodyText()).includes('Listening'), 'say Listening after the 1011');
      await exchange(third, 'And now?', 'Back again.');

      stage = 'typing';
      // Typing during Live: the text goes into the same session, with a fresh frame of the tab first.
      const framesBefore = third.video.length;
      await askFirefox(panel, 'Which colour exactly?');
      await third.waitFor((c) => c.texts.includes('Which colour exactly?'), 10_000);
      expect(third.video.length).toBeGreaterThan(framesBefore);
      await third.answer({ text: 'Bright red.', chunks: 2, delayMs: 20 });
      await until(async () => (await logText(panel)).includes('Bright red.'), 'show the typed answer');

      const text = await logText(panel);
      for (const words of ['What colour is the page?', 'The page is red.', 'Tell me a long story.', 'Still there?', 'Yes, still here.', 'And now?', 'Back again.', 'Which colour exactly?', 'Bright red.']) {
        expect(text).toContain(words);
      }

      stage = 'end';
      await clickButton(panel, 'End conversation');
      await third.waitFor((c) => c.closed !== null, 10_000);
      await until(async () => (await countButtons(panel, 'Start talking')) === 1, 'offer Start talking again');
      expect(live.connections).toHaveLength(3);
      await expectSharingFirefox(panel);
    }
  });
});
