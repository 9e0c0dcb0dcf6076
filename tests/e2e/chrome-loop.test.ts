/**
 * The product loop in real Chromium: the built extension, the real proxy, the stand-in Gemini upstream.
 * A person clicks the toolbar button on a tab, shares it, asks; the frame that reaches Gemini shows
 * what the tab showed when they asked; the answer streams into the log; a follow-up carries earlier turns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type ChromeHarness } from '../support/chromium.ts';
import { startColorSite, startStack, TEST_KEY, TEST_TOKEN, type Stack } from '../support/stack.ts';
import { averageColor, averageColorIn, colorName, imagesOf, textsOf } from '../support/images.ts';
import { ask, configurePanel, expectSharing, log, watchLogText } from '../support/panel.ts';

let stack: Stack;
let site: Awaited<ReturnType<typeof startColorSite>>;
let chrome: ChromeHarness;
let tab: Page;
let panel: Page;

const isGenerate = (r: { path: string }) => r.path.includes(':streamGenerateContent');

beforeAll(async () => {
  stack = await startStack();
  site = await startColorSite();
  chrome = await launchChromium();
  await chrome.serviceWorker();
  tab = await chrome.context.newPage();
  await tab.goto(`${site.url}?c=rgb(220,0,0)`);
  panel = await chrome.openPanel();
  await configurePanel(panel, stack.proxy.url, TEST_TOKEN);
});

afterAll(async () => {
  await chrome?.close();
  await site?.close();
  await stack?.close();
});

describe('sharing a tab in Chrome', () => {
  it('sends the frame of the moment the question is asked, streams the answer, and remembers earlier turns', async () => {
    await tab.bringToFront();
    await chrome.clickToolbarButton(tab);
    await panel.getByRole('button', { name: 'Share this tab' }).click();
    await expectSharing(panel);

    // The tab changes colour, then the question is asked at once: the frame must be the new colour.
    await tab.evaluate(() => (window as unknown as { setColor(c: string): void }).setColor('rgb(0,170,0)'));
    await tab.waitForTimeout(150);
    const seen = await watchLogText(panel, async () => {
      await ask(panel, 'What colour is the page?');
      await expect.poll(() => log(panel).textContent(), { timeout: 20_000 }).toContain('You asked');
    });
    const first = stack.gemini.requests.filter(isGenerate).at(-1)!;
    expect(first.apiKey).toBe(TEST_KEY); // the proxy swapped the user's token for the real key
    const images = imagesOf(first);
    expect(images.length).toBeGreaterThan(0);
    const now = averageColor(images.at(-1)!);
    expect(now, 'average colour of the frame sent with the question').toBeDefined();
    expect(colorName(now), JSON.stringify(now)).toBe('green');
    // The question's frame: up to 1536 px (QUESTION_GRAB, chosen by docs/legibility.md).
    expect(Math.max(now.width, now.height)).toBeLessThanOrEqual(1536);
    expect(textsOf(first).join('\n')).toContain('What colour is the page?');

    // Piece by piece: the log showed partial answers before the whole one.
    const partials = seen.filter((t) => t.includes('I see') && !t.includes('You asked'));
    expect(partials.length).toBeGreaterThan(0);

    // A follow-up carries the earlier question and answer, and a fresh frame.
    await tab.evaluate(() => (window as unknown as { setColor(c: string): void }).setColor('rgb(0,0,220)'));
    await tab.waitForTimeout(150);
    await ask(panel, 'And now?');
    await expect.poll(() => panel.getByRole('article').count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => stack.gemini.requests.filter(isGenerate).length, { timeout: 20_000 }).toBe(2);
    const second = stack.gemini.requests.filter(isGenerate).at(-1)!;
    const body = second.body as { contents: Array<{ role: string; parts: Array<{ text?: string }> }> };
    expect(body.contents.some((c) => c.role === 'model' && c.parts.some((p) => p.text?.includes('You asked')))).toBe(true);
    expect(textsOf(second).join('\n')).toContain('What colour is the page?');
    expect(colorName(averageColor(imagesOf(second).at(-1)!))).toBe('blue');
    await expect.poll(() => log(panel).textContent(), { timeout: 20_000 }).toContain('And now?');
  });

  it('keeps the conversation when the panel is closed and opened again', async () => {
    await panel.close();
    panel = await chrome.openPanel();
    await expect.poll(() => log(panel).textContent(), { timeout: 10_000 }).toContain('What colour is the page?');
    await expect.poll(() => log(panel).textContent(), { timeout: 10_000 }).toContain('And now?');
  });

  it('a region hidden on the live thumbnail is black in every frame that reaches Gemini', async () => {
    // Drag over the left half of the thumbnail, as a person would with the mouse.
    await expect.poll(() => panel.getByRole('img', { name: 'What Sightline sees' }).count(), { timeout: 15_000 }).toBe(1);
    // The live bar's thumbnail opens the preview, the region editor.
    await panel.getByRole('button', { name: 'Preview and hide regions' }).click();
    await panel.getByRole('button', { name: 'Hide a region' }).click();
    const box = (await panel.locator('.redact-frame').boundingBox())!;
    // From just inside the rounded top-left corner (5%) to the bottom of the middle line.
    await panel.mouse.move(box.x + box.width * 0.05, box.y + box.height * 0.05);
    await panel.mouse.down();
    await panel.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.6, { steps: 4 });
    await panel.mouse.move(box.x + box.width / 2, box.y + box.height - 1, { steps: 4 });
    await panel.mouse.up();
    await expect.poll(() => panel.getByRole('region', { name: 'Hidden regions' }).textContent(), { timeout: 10_000 }).toMatch(/Region 1: left [3-7]%, top [3-7]%, 4[3-7]% wide, 9[3-7]% high/);
    await panel.getByRole('button', { name: 'Back' }).click();

    const before = stack.gemini.requests.filter(isGenerate).length;
    await ask(panel, 'Is the left half hidden?');
    await expect.poll(() => stack.gemini.requests.filter(isGenerate).length, { timeout: 20_000 }).toBe(before + 1);
    const images = imagesOf(stack.gemini.requests.filter(isGenerate).at(-1)!);
    expect(images.length).toBeGreaterThan(0);
    // Every frame sent after the region was drawn (the question's frame included) is black there; frames taken
    // before it lost their pixels. The rest of the tab still shows.
    for (const image of images) {
      const hidden = averageColorIn(image, { x: 0.1, y: 0.1, w: 0.35, h: 0.8 });
      const shown = averageColorIn(image, { x: 0.6, y: 0.1, w: 0.35, h: 0.8 });
      expect(colorName(hidden), JSON.stringify(hidden)).toBe('black');
      expect(colorName(shown), JSON.stringify(shown)).toBe('blue');
    }
  });

  it('point and ask: a region goes as a full-resolution crop, hidden part black in it, before the whole frame; the tab is heard', async () => {
    // A tone plays in the shared tab (a click first: the page's autoplay policy wants a gesture).
    await tab.bringToFront();
    await tab.mouse.click(5, 5);
    await tab.evaluate(async () => {
      const ctx = new AudioContext();
      const osc = ctx.createOscillator();
      osc.frequency.value = 440;
      osc.connect(ctx.destination);
      osc.start();
      await ctx.resume();
    });
    await tab.waitForTimeout(3000);
    // The panel's controls for these come with its next version: the command goes on the panel's own port.
    const before = stack.gemini.requests.filter(isGenerate).length;
    const sharing = await panel.evaluate(async () => {
      const api = (globalThis as unknown as { chrome: { runtime: { connect(o: { name: string }): { onMessage: { addListener(f: (m: { type: string; state?: { sharing: unknown } }) => void): void }; postMessage(m: unknown): void } } } }).chrome;
      const port = api.runtime.connect({ name: 'sightline-panel' });
      const state = await new Promise<{ sharing: unknown }>((resolve) => port.onMessage.addListener((m) => m.type === 'state' && resolve(m.state!)));
      port.postMessage({ type: 'ask', text: 'What is here, and what did it say?', region: { x: 0.3, y: 0.1, w: 0.4, h: 0.4 }, withSound: true });
      return state.sharing;
    });
    expect(sharing).toMatchObject({ status: 'on', sound: true });
    // The tab stays audible: its captured sound is played back from the offscreen document, which may start an
    // AudioContext without a click (autoplay would otherwise leave it suspended and the tab silent).
    const { targetInfos } = (await chrome.browserCdp('Target.getTargets')) as { targetInfos: Array<{ targetId: string; url: string }> };
    const offscreen = targetInfos.find((t) => t.url.endsWith('/offscreen.html'))!;
    const { sessionId } = (await chrome.browserCdp('Target.attachToTarget', { targetId: offscreen.targetId, flatten: true })) as { sessionId: string };
    const probe = (await chrome.browserCdp(
      'Runtime.evaluate',
      { expression: 'new Promise((r) => { const c = new AudioContext(); setTimeout(() => { r(c.state); c.close(); }, 300); })', awaitPromise: true, returnByValue: true },
      sessionId,
    )) as { result: { value: string } };
    expect(probe.result.value).toBe('running');
    await expect.poll(() => stack.gemini.requests.filter(isGenerate).length, { timeout: 20_000 }).toBe(before + 1);
    const request = stack.gemini.requests.filter(isGenerate).at(-1)!;
    const parts = (request.body as { contents: Array<{ parts: Array<{ text?: string; inlineData?: { mimeType: string; data: string } }> }> }).contents.at(-1)!.parts;
    const crop = parts.findIndex((p) => p.text?.startsWith('[The region the person pointed at'));
    expect(crop).toBeGreaterThanOrEqual(0);
    const cropImage = averageColor(parts[crop + 1]!.inlineData!.data);
    expect(parts[crop + 2]!.text, JSON.stringify(parts.map((p) => p.text ?? p.inlineData?.mimeType))).toMatch(/^\[Frame captured at/);
    const whole = averageColor(parts[crop + 3]!.inlineData!.data);
    // Full resolution: the crop is 40% of the tab's own pixels, more than 40% of the downscaled whole frame.
    expect(cropImage.width / whole.width).toBeGreaterThan(0.4);
    // The hidden region (the left half of the tab) is black in the crop too; the rest shows.
    expect(colorName(averageColorIn(parts[crop + 1]!.inlineData!.data, { x: 0.05, y: 0.1, w: 0.3, h: 0.8 }))).toBe('black');
    expect(colorName(averageColorIn(parts[crop + 1]!.inlineData!.data, { x: 0.7, y: 0.1, w: 0.25, h: 0.8 }))).toBe('blue');
    // The tab's sound since it started playing, as 16 kHz WAV, not silent.
    const audio = parts.find((p) => p.inlineData?.mimeType === 'audio/wav')!;
    expect(audio, JSON.stringify(parts.map((p) => p.text ?? p.inlineData?.mimeType))).toBeDefined();
    const wav = Buffer.from(audio.inlineData!.data, 'base64');
    const seconds = wav.readUInt32LE(40) / 2 / wav.readUInt32LE(24);
    expect(seconds).toBeGreaterThan(1);
    expect(seconds).toBeLessThanOrEqual(60);
    let energy = 0;
    for (let i = 44; i + 1 < wav.length; i += 2) energy += wav.readInt16LE(i) ** 2;
    expect(Math.sqrt(energy / ((wav.length - 44) / 2))).toBeGreaterThan(300);
  });

  it('stops sharing and says why when the shared tab is closed', async () => {
    await tab.close();
    await expect.poll(() => panel.getByRole('alert').textContent(), { timeout: 15_000 }).toMatch(/closed/i);
    await expect.poll(() => panel.getByRole('button', { name: 'Share this tab' }).count(), { timeout: 15_000 }).toBe(1);
  });
});
