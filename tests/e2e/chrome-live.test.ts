/**
 * Live mode in real Chromium: the built extension, the real proxy, the stand-in Live server as the proxy's Live
 * upstream, and a fake microphone playing a WAV the test writes. A person shares a tab and presses Start
 * talking: 16 kHz PCM reaches the server through the proxy (with the real key swapped in), frames of the tab go
 * along, the stand-in answers with audio and both transcripts, which show in the conversation log; barge-in stops
 * the player at once (its queued audio dropped: the offscreen document's output, tapped by tests/support/live-probe.ts,
 * falls silent and stays so) and marks the answer interrupted; a forced goAway and a 1011 keep the conversation and
 * the transcript (resumed with the handle); typed text goes into the same session; a refused handle starts a new
 * session seeded with the conversation so far, and the transcript goes on; End conversation ends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ChromeHarness } from '../support/chromium.ts';
import { startChromeLive, type ChromeLive } from '../support/chrome-live.ts';
import { TEST_KEY } from '../support/stack.ts';
import { ask, expectSharing, log } from '../support/panel.ts';
import type { FakeLiveServer, LiveConnection } from '../support/fake-live.ts';
import { probeOffscreen, type PageProbe } from '../support/live-probe.ts';

let rig: ChromeLive;
let live: FakeLiveServer;
let chrome: ChromeHarness;
let tab: Page;
let panel: Page;

beforeAll(async () => {
  rig = await startChromeLive('rgb(220,0,0)');
  ({ live, chrome, tab, panel } = rig);
});

afterAll(async () => {
  await rig?.close();
});

const logText = () => log(panel).textContent();
const status = () => panel.getByRole('region', { name: 'Sharing' }).textContent();

/** The person says `question` (its transcription), and the stand-in answers `answer` with audio. */
async function exchange(conn: LiveConnection, question: string, answer: string): Promise<void> {
  conn.inputTranscription(question);
  await conn.answer({ text: answer, chunks: 3, delayMs: 20 });
  await expect.poll(logText, { timeout: 15_000 }).toContain(answer);
  expect(await logText()).toContain(question);
}

describe('Live mode in Chrome', () => {
  it('talks about a shared tab through the proxy, keeps the transcript through goAway and 1011, and ends', async () => {
    await tab.bringToFront();
    await chrome.clickToolbarButton(tab);
    await panel.getByRole('button', { name: 'Share this tab' }).click();
    await expectSharing(panel);
    // Timestamps and an output tap in the offscreen document, before Live makes its player.
    const probe: PageProbe = await probeOffscreen(chrome);

    await panel.getByRole('button', { name: 'Start talking' }).click();
    const first = await live.connection(1, 15_000).catch(async (err: Error) => {
      throw new Error(`${err.message}; the panel said: ${await panel.locator('body').textContent()}`);
    });
    await expect.poll(status, { timeout: 15_000 }).toContain('Listening');
    expect(first.credential).toBe(TEST_KEY); // the proxy swapped the access token for the key
    expect(first.setup).toMatchObject({ contextWindowCompression: { slidingWindow: {} }, sessionResumption: {} });

    // Microphone audio: 16 kHz 16-bit PCM, 40 ms a chunk (1280 bytes), flowing.
    await first.waitFor((c) => c.audio.length >= 10, 15_000);
    expect(new Set(first.audio.map((a) => a.mimeType))).toEqual(new Set(['audio/pcm;rate=16000']));
    expect(first.audio.slice(2, 10).every((a) => a.bytes === 1280)).toBe(true);
    // The shared tab goes along as video within a second or so of the connection opening.
    await first.waitFor((c) => c.video.length >= 1, 5000);
    expect(first.video[0]!.mimeType).toBe('image/jpeg');
    // The level meter moves with the tone.
    await expect.poll(() => panel.getByRole('meter', { name: 'Microphone level' }).getAttribute('value'), { timeout: 5000 }).not.toBe('0');

    await exchange(first, 'What colour is the page?', 'The page is red.');

    // Barge-in: the stand-in says `interrupted` mid-answer. Audio arrives faster than it plays (400 ms every
    // 80 ms), so seconds of it are queued in the player; all of it stops at once and the output falls silent.
    first.inputTranscription('Tell me a long story.');
    await probe.take();
    const long = first.answer({ text: 'Once upon a time there was a very red page that', chunks: 20, chunkMs: 400, delayMs: 80 });
    await expect.poll(logText, { timeout: 15_000 }).toContain('Once upon');
    await expect.poll(() => probe.peak(), { timeout: 5000 }).toBeGreaterThan(0.05); // the answer is heard
    const started = () => probe.run(() => (globalThis as unknown as { __probe: { starts: unknown[] } }).__probe.starts.length);
    await expect.poll(started, { timeout: 5000, interval: 20 }).toBeGreaterThanOrEqual(6); // over a second queued
    const interruptedAt = Date.now();
    first.interrupt();
    await long;
    await expect.poll(() => probe.peak(), { timeout: 1000, interval: 20 }).toBe(0);
    const silentAfterMs = Date.now() - interruptedAt;
    await new Promise((r) => setTimeout(r, 600));
    expect(await probe.peak()).toBe(0); // nothing of the queue plays later
    const cut = await probe.take();
    // Every source not yet finished (over a second of queued audio) was stopped, within moments of the message.
    expect(cut.starts.length).toBeGreaterThanOrEqual(6);
    expect(cut.stops.length).toBeGreaterThanOrEqual(3);
    expect(cut.stops[0]!.at - interruptedAt).toBeLessThan(500);
    expect(silentAfterMs).toBeLessThan(1000);
    await expect.poll(logText, { timeout: 10_000 }).toContain('Interrupted.');

    // A forced goAway: the conversation moves to a new connection with the newest handle, before the old one ends.
    first.goAway(2000);
    const second = await live.connection(2, 10_000);
    await second.waitFor((c) => c.setup !== null, 10_000);
    expect(second.resumedFrom).toMatch(/^handle-/);
    await expect.poll(status, { timeout: 10_000 }).toContain('Listening');
    await exchange(second, 'Still there?', 'Yes, still here.');

    // A 1011: reconnect with backoff, resuming again; nothing of the transcript is lost.
    second.fail(1011, 'Internal error encountered.');
    const third = await live.connection(3, 15_000);
    await third.waitFor((c) => c.setup !== null, 10_000);
    expect(third.resumedFrom).toMatch(/^handle-/);
    await expect.poll(status, { timeout: 15_000 }).toContain('Listening');
    await exchange(third, 'And now?', 'Back again.');
    await third.waitFor((c) => c.audio.length > 0, 5000);

    // Typing during Live: the text goes into the same session, with a fresh frame.
    const framesBefore = third.video.length;
    await ask(panel, 'Which colour exactly?');
    await third.waitFor((c) => c.texts.includes('Which colour exactly?'), 10_000);
    expect(third.video.length).toBeGreaterThan(framesBefore);
    await third.answer({ text: 'Bright red.', chunks: 2, delayMs: 20 });
    await expect.poll(logText, { timeout: 10_000 }).toContain('Bright red.');

    // A refused resumption handle (the stand-in forgot every handle, then dropped the connection): the resume
    // is refused (1008), and a new session starts, seeded with the conversation so far; the transcript goes on.
    live.handles.clear();
    third.fail(1011, 'Internal error encountered.');
    const refused = await live.connection(4, 15_000);
    await refused.waitFor((c) => c.closed !== null, 10_000);
    expect(refused.closed).toMatchObject({ code: 1008, by: 'server' });
    const fresh = await live.connection(5, 15_000);
    await fresh.waitFor((c) => c.setup !== null, 10_000);
    expect(fresh.resumedFrom).toBeNull();
    const seed = JSON.stringify(fresh.setup?.systemInstruction ?? '');
    for (const words of ['What colour is the page?', 'Back again.', 'Bright red.']) expect(seed).toContain(words);
    await expect.poll(status, { timeout: 15_000 }).toContain('Listening');
    await exchange(fresh, 'Do you remember the page?', 'Yes, it was red.');

    const text = (await logText())!;
    for (const words of ['What colour is the page?', 'The page is red.', 'Tell me a long story.', 'Still there?', 'Yes, still here.', 'And now?', 'Back again.', 'Do you remember the page?', 'Yes, it was red.']) {
      expect(text).toContain(words);
    }

    await panel.getByRole('button', { name: 'End conversation' }).click();
    await fresh.waitFor((c) => c.closed !== null, 10_000);
    await expect.poll(() => panel.getByRole('button', { name: 'Start talking' }).count(), { timeout: 10_000 }).toBe(1);
    expect(live.connections).toHaveLength(5);
    // Sharing goes on after the conversation ended.
    await expectSharing(panel);
  });
});
