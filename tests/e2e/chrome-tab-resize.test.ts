/**
 * The frame follows the tab (issue 13): on a HiDPI screen (devicePixelRatio 2), while a tab is shared, its window
 * is resized through the DevTools protocol (Browser.setWindowBounds), the page goes fullscreen inside the tab, and
 * sharing is stopped and started again. Once tab capture has followed (settle), every frame that reaches the
 * stand-in Gemini has the tab's own aspect (within 2%) and no black bar at any edge. The page has coloured edges, so a black row or column is a bar.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { launchChromium, type ChromeHarness } from '../support/chromium.ts';
import { startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';
import { blackBars, imagesOf } from '../support/images.ts';
import { ask, configurePanel, expectSharing } from '../support/panel.ts';

const PAGE = `<!doctype html><title>Edges</title><style>html,body{margin:0;height:100%;background:#fff}
body{box-sizing:border-box;border:10px solid rgb(220,0,0);border-bottom-color:rgb(0,0,220)}</style>
<body><button id=fs onclick="document.documentElement.requestFullscreen()">Fullscreen</button></body>`;

let stack: Stack;
let server: Server;
let chrome: ChromeHarness;
let tab: Page;
let panel: Page;
let windowId: number;

const isGenerate = (r: { path: string }) => r.path.includes(':streamGenerateContent');

/** Asks, and returns the question's frame with the tab's CSS size at that moment. */
async function frameOfNow(question: string) {
  const before = stack.gemini.requests.filter(isGenerate).length;
  const [w, h] = await tab.evaluate(() => [innerWidth, innerHeight]);
  await ask(panel, question);
  await expect.poll(() => stack.gemini.requests.filter(isGenerate).length, { timeout: 20_000 }).toBe(before + 1);
  await expect.poll(() => panel.getByRole('button', { name: 'Stop answering' }).count(), { timeout: 20_000 }).toBe(0);
  return { image: imagesOf(stack.gemini.requests.filter(isGenerate).at(-1)!).at(-1)!, tabAspect: w! / h! };
}

async function expectFollowsTab(question: string) {
  const { image, tabAspect } = await frameOfNow(question);
  const bars = blackBars(image);
  expect(Math.abs(bars.width / bars.height / tabAspect - 1), `${question}: ${JSON.stringify(bars)}, tab aspect ${tabAspect}`).toBeLessThan(0.02);
  expect({ top: bars.top, bottom: bars.bottom, left: bars.left, right: bars.right }, question).toEqual({ top: 0, bottom: 0, left: 0, right: 0 });
  // The question's frame: up to 1536 px (QUESTION_GRAB, chosen by docs/legibility.md).
  expect(Math.max(bars.width, bars.height)).toBeLessThanOrEqual(1536);
}

/** The aspect of the frames tab capture delivers now: the offscreen document's <video> (the share's picture). */
async function capturedAspect(): Promise<number> {
  const { targetInfos } = (await chrome.browserCdp('Target.getTargets')) as { targetInfos: Array<{ targetId: string; url: string }> };
  const offscreen = targetInfos.find((t) => t.url.endsWith('/offscreen.html'));
  if (!offscreen) return 0;
  const { sessionId } = (await chrome.browserCdp('Target.attachToTarget', { targetId: offscreen.targetId, flatten: true })) as { sessionId: string };
  try {
    const expression = '(() => { const v = document.querySelector("video"); return v && v.videoHeight ? v.videoWidth / v.videoHeight : 0; })()';
    const probe = (await chrome.browserCdp('Runtime.evaluate', { expression, returnByValue: true }, sessionId)) as { result: { value: number } };
    return probe.result.value;
  } finally {
    await chrome.browserCdp('Target.detachFromTarget', { sessionId }).catch(() => {});
  }
}

/**
 * Waits until the tab's size has settled and tab capture delivers frames of it. Chrome's capture follows a resize
 * a frame or more later, and on a loaded machine that was over 1.5 s (a CI run asked 800 ms after fullscreen and
 * got the last frame of the old size, Nov 30): what is tested here is Sightline's frame once capture has
 * followed, not how fast Chrome's capture is.
 */
async function settle(): Promise<void> {
  const size = () => tab.evaluate(() => `${innerWidth}x${innerHeight}`);
  let last = '';
  await expect.poll(async () => { const now = await size(); const same = now === last && !now.startsWith('0x'); last = now; return same; }, { timeout: 20_000, interval: 300 }).toBe(true);
  const [w, h] = await tab.evaluate(() => [innerWidth, innerHeight]);
  await expect.poll(async () => Math.abs((await capturedAspect()) / (w! / h!) - 1) < 0.02, { timeout: 20_000, interval: 200 }).toBe(true);
}

async function resizeWindow(width: number, height: number) {
  await chrome.browserCdp('Browser.setWindowBounds', { windowId, bounds: { width, height } });
  await settle();
}

beforeAll(async () => {
  stack = await startStack();
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  chrome = await launchChromium({ args: ['--force-device-scale-factor=2'] });
  await chrome.serviceWorker();
  tab = await chrome.context.newPage();
  await tab.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  panel = await chrome.openPanel();
  await configurePanel(panel, stack.proxy.url, TEST_TOKEN);
  const { targetInfos } = (await chrome.browserCdp('Target.getTargets')) as { targetInfos: Array<{ targetId: string; type: string; url: string }> };
  const target = targetInfos.find((t) => t.type === 'page' && t.url === tab.url())!;
  ({ windowId } = (await chrome.browserCdp('Browser.getWindowForTarget', { targetId: target.targetId })) as { windowId: number });
});

afterAll(async () => {
  await chrome?.close();
  await new Promise((r) => server?.close(r));
  await stack?.close();
});

describe('a shared tab that changes size (devicePixelRatio 2)', () => {
  it('keeps the tab’s aspect, with no black bars, as its window is resized', async () => {
    expect(await tab.evaluate(() => devicePixelRatio)).toBe(2);
    await tab.bringToFront();
    await chrome.clickToolbarButton(tab);
    await panel.getByRole('button', { name: 'Share this tab' }).click();
    await expectSharing(panel);
    await settle();
    await expectFollowsTab('As shared?');
    // Tall and narrow (the case measured with a black bar), then wide, then back.
    await resizeWindow(520, 1400);
    await expectFollowsTab('Tall window?');
    await resizeWindow(1900, 700);
    await expectFollowsTab('Wide window?');
    await resizeWindow(900, 700);
    await expectFollowsTab('Back again?');
  });

  it('follows the page into fullscreen inside the tab and out of it', async () => {
    await tab.click('#fs');
    await expect.poll(() => tab.evaluate(() => document.fullscreenElement !== null)).toBe(true);
    await settle();
    await expectFollowsTab('Fullscreen?');
    await tab.evaluate(() => document.exitFullscreen());
    await settle();
    await expectFollowsTab('Out of fullscreen?');
  });

  it('shares the tab again after Stop, still at its own aspect', async () => {
    await panel.getByRole('button', { name: 'Stop sharing' }).click();
    await panel.getByRole('button', { name: 'Share this tab' }).click();
    await expectSharing(panel);
    await settle();
    await expectFollowsTab('Shared again?');
  });
});
