/**
 * Live mode straight to Gemini in real Chromium (Settings "Connect voice straight to Google", issue 12 item 4b): the
 * built extension, the real proxy, the stand-in Live server as the Gemini endpoint. Before each connection the
 * extension mints a one-use token at the proxy (which holds the key), then opens the constrained socket
 * (`BidiGenerateContentConstrained?access_token=auth_tokens/...`, v1alpha) at the endpoint the proxy names, from the
 * extension itself, not through the proxy's relay; a goAway reconnect mints a new token, locked to the resumed setup;
 * the answer's transcript shows in the conversation; a mint the proxy refuses is said in a sentence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ChromeHarness } from '../support/chromium.ts';
import { startChromeLive, type ChromeLive } from '../support/chrome-live.ts';
import { TEST_KEY, TEST_TOKEN } from '../support/stack.ts';
import { expectSharing, log } from '../support/panel.ts';
import type { FakeLiveServer, LiveConnection } from '../support/fake-live.ts';
import { DEV_EXTENSION_ID } from '../../lib/core/extension-ids.ts';

let rig: ChromeLive;
let live: FakeLiveServer;
let chrome: ChromeHarness;
let tab: Page;
let panel: Page;

beforeAll(async () => {
  rig = await startChromeLive('rgb(0,0,220)');
  ({ live, chrome, tab, panel } = rig);
});

afterAll(async () => {
  await rig?.close();
});

const logText = () => log(panel).textContent();
const status = () => panel.getByRole('region', { name: 'Sharing' }).textContent();

/** The connection was opened by the extension itself at the Gemini endpoint, with the n-th token the proxy minted. */
function expectDirect(conn: LiveConnection, n: number): void {
  const token = live.tokens[n - 1]!;
  expect(token.apiKey).toBe(TEST_KEY); // minted by the proxy, with the key only it holds
  expect(conn).toMatchObject({ method: 'BidiGenerateContentConstrained', version: 'v1alpha', credentialKind: 'access_token', credential: token.name });
  expect(conn.credential).toMatch(/^auth_tokens\//);
  // Not the proxy's relay (which would present the key): the browser's own socket, from the extension's origin.
  expect(conn.headers.origin).toBe(`chrome-extension://${DEV_EXTENSION_ID}`);
  expect(JSON.stringify(conn.headers)).not.toContain(TEST_TOKEN);
}

describe('Live mode straight to Gemini in Chrome', () => {
  it('mints a token per connection at the proxy, talks at the Gemini endpoint, and mints again on goAway', async () => {
    // The person turns the option on in Settings.
    await panel.getByRole('button', { name: 'Settings', exact: true }).click();
    const direct = panel.getByRole('checkbox', { name: /Connect voice straight to Google/ });
    expect(await direct.isChecked()).toBe(false);
    await direct.check();
    await panel.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => panel.getByText('Saved.').count()).toBe(1);
    await panel.getByRole('button', { name: 'Back' }).click();

    await tab.bringToFront();
    await chrome.clickToolbarButton(tab);
    await panel.getByRole('button', { name: 'Share this tab' }).click();
    await expectSharing(panel);

    await panel.getByRole('button', { name: 'Start talking' }).click();
    const first = await live.connection(1, 15_000).catch(async (err: Error) => {
      throw new Error(`${err.message}; the panel said: ${await panel.locator('body').textContent()}`);
    });
    await first.waitFor((c) => c.setup !== null, 10_000);
    await expect.poll(status, { timeout: 15_000 }).toContain('Listening');
    expect(live.tokens).toHaveLength(1);
    expectDirect(first, 1);
    // The token locks this connection's model and setup.
    expect(live.tokens[0]!.request).toMatchObject({
      uses: 1,
      bidiGenerateContentSetup: { model: 'models/gemini-live-2.5-flash-preview', contextWindowCompression: { slidingWindow: {} } },
    });
    expect(live.tokens[0]!.request).not.toHaveProperty('fieldMask');

    // Microphone audio and the shared tab reach Gemini directly.
    await first.waitFor((c) => c.audio.length >= 5 && c.video.length >= 1, 15_000);
    expect(new Set(first.audio.map((a) => a.mimeType))).toEqual(new Set(['audio/pcm;rate=16000']));

    first.inputTranscription('What colour is the page?');
    await first.answer({ text: 'The page is blue.', chunks: 3, delayMs: 20 });
    await expect.poll(logText, { timeout: 15_000 }).toContain('The page is blue.');
    expect(await logText()).toContain('What colour is the page?');

    // goAway: a one-use token cannot reconnect, so a new one is minted, locked to the resumed setup (the handle).
    first.goAway(2000);
    const second = await live.connection(2, 10_000);
    await second.waitFor((c) => c.setup !== null, 10_000);
    expect(live.tokens).toHaveLength(2);
    expectDirect(second, 2);
    expect(second.credential).not.toBe(first.credential);
    expect(second.resumedFrom).toMatch(/^handle-/);
    expect(live.tokens[1]!.request).toMatchObject({ bidiGenerateContentSetup: { sessionResumption: { handle: second.resumedFrom } } });
    await expect.poll(status, { timeout: 10_000 }).toContain('Listening');

    second.inputTranscription('Still there?');
    await second.answer({ text: 'Yes, still here.', chunks: 3, delayMs: 20 });
    await expect.poll(logText, { timeout: 15_000 }).toContain('Yes, still here.');
    expect(await logText()).toContain('The page is blue.');

    await panel.getByRole('button', { name: 'End conversation' }).click();
    await second.waitFor((c) => c.closed !== null, 10_000);
    await expect.poll(() => panel.getByRole('button', { name: 'Start talking' }).count(), { timeout: 10_000 }).toBe(1);
    expect(live.connections).toHaveLength(2);
    expect(live.tokens).toHaveLength(2);

    // A mint the proxy refuses (a wrong access token) ends the attempt with a sentence, and opens no socket.
    await panel.evaluate(async () => {
      const api = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>>; set(v: object): Promise<void> } } } }).chrome;
      const current = ((await api.storage.local.get('settings')).settings ?? {}) as object;
      await api.storage.local.set({ settings: { ...current, accessToken: 'not-a-token-the-proxy-knows' } });
    });
    await panel.getByRole('button', { name: 'Start talking' }).click();
    await expect.poll(() => panel.locator('body').textContent(), { timeout: 15_000 }).toContain('The proxy refused the access token when asked for a one-use Live token');
    expect(live.connections).toHaveLength(2);
    expect(live.tokens).toHaveLength(2);
  });
});
