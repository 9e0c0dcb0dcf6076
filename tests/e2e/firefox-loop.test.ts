/**
 * The product loop in real Firefox ESR: the built extension, the real proxy, the stand-in Gemini upstream.
 * The same scenarios as Chrome's: a shared tab (a page on 127.0.0.1, sampled with captureVisibleTab) and the
 * camera (captured by the panel page itself); the frame that reaches Gemini shows what was there when the
 * question was asked; the answer streams into the log; a follow-up carries earlier turns, also across a
 * suspension of Firefox's background event page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launchFirefox, waitFor, type FirefoxHarness } from '../support/firefox.ts';
import { startColorSite, startStack, TEST_KEY, TEST_TOKEN, type Stack } from '../support/stack.ts';
import { averageColor, colorName, textsOf } from '../support/images.ts';
import type { RecordedRequest } from '../support/fake-gemini.ts';
import {
  alertText,
  askFirefox,
  clickButton,
  configureFirefoxPanel,
  countButtons,
  expectSharingFirefox,
  logText,
  watchLog,
} from '../support/firefox-panel.ts';

let stack: Stack;
let site: Awaited<ReturnType<typeof startColorSite>>;
let firefox: FirefoxHarness;
let tab: Page;
let panel: Page;

const isGenerate = (r: { path: string }) => r.path.includes(':streamGenerateContent');
const generates = () => stack.gemini.requests.filter(isGenerate);
/** Firefox suspends an idle event page after this long (default 30 s): short, so the test sees it happen. */
const IDLE_TIMEOUT_MS = 2000;

/** When the background page started: changes when Firefox suspended it and something woke it again. */
const backgroundStartedAt = (page: Page) =>
  page.evaluate(() => {
    const api = (globalThis as unknown as { browser: { extension: { getViews(): Window[] } } }).browser;
    const bg = api.extension.getViews().find((w) => w.location.pathname.includes('background'));
    return bg ? bg.performance.timeOrigin : 0;
  });

/** The image taken when the last question was asked (labelled so by the history), or undefined if none was sent. */
function questionFrame(req: RecordedRequest): string | undefined {
  const body = req.body as { contents: Array<{ role: string; parts: Array<{ text?: string; inlineData?: { data?: string } }> }> };
  const parts = body.contents.filter((c) => c.role === 'user').at(-1)?.parts ?? [];
  const i = parts.findIndex((p) => p.text?.includes('when this question was asked'));
  return i >= 0 ? parts[i + 1]?.inlineData?.data : undefined;
}

const setColor = (c: string) => tab.evaluate((c) => (window as unknown as { setColor(c: string): void }).setColor(c), c);

beforeAll(async () => {
  stack = await startStack();
  site = await startColorSite();
  firefox = await launchFirefox({ prefs: { 'extensions.background.idle.timeout': IDLE_TIMEOUT_MS } });
  // Page and panel in separate windows: captureVisibleTab sees the front tab of a window, as beside a sidebar.
  tab = await firefox.openWindow(`${site.url}?c=rgb(220,0,0)`);
  panel = await firefox.openPanel();
  await configureFirefoxPanel(panel, stack.proxy.url, TEST_TOKEN);
});

afterAll(async () => {
  await firefox?.close();
  await site?.close();
  await stack?.close();
});

describe('sharing a tab in Firefox', () => {
  it('sends the frame of the moment the question is asked, streams the answer, and remembers earlier turns', async () => {
    await clickButton(panel, 'Share this tab');
    await expectSharingFirefox(panel);

    await setColor('rgb(0,170,0)');
    await new Promise((r) => setTimeout(r, 150));
    const seen = await watchLog(panel, async () => {
      await askFirefox(panel, 'What colour is the page?');
      await waitFor(async () => (await logText(panel)).includes('You asked'), 20_000, 'show the answer');
    });
    const first = generates().at(-1)!;
    expect(first.apiKey).toBe(TEST_KEY);
    const asked = questionFrame(first);
    expect(asked, 'a frame taken when the question was asked').toBeDefined();
    const now = averageColor(asked!);
    expect(colorName(now), JSON.stringify(now)).toBe('green');
    // The question's frame: up to 1536 px (QUESTION_GRAB, chosen by docs/legibility.md).
    expect(Math.max(now.width, now.height)).toBeLessThanOrEqual(1536);
    expect(textsOf(first).join('\n')).toContain('What colour is the page?');
    expect(seen.filter((t) => t.includes('I see') && !t.includes('You asked')).length, 'partial answers in the log').toBeGreaterThan(0);

    await setColor('rgb(0,0,220)');
    await new Promise((r) => setTimeout(r, 150));
    await askFirefox(panel, 'And now?');
    await waitFor(async () => generates().length === 2, 20_000, 'send the follow-up');
    const second = generates().at(-1)!;
    const body = second.body as { contents: Array<{ role: string; parts: Array<{ text?: string }> }> };
    expect(body.contents.some((c) => c.role === 'model' && c.parts.some((p) => p.text?.includes('You asked')))).toBe(true);
    expect(textsOf(second).join('\n')).toContain('What colour is the page?');
    expect(colorName(averageColor(questionFrame(second)!))).toBe('blue');
    await waitFor(async () => (await panel.$$('[role=log] article')).length === 2, 20_000, 'show two turns');
  });

  it('never sends another tab: with the shared tab behind another one, the question goes without a frame and says why', async () => {
    const api = (code: string, arg: unknown) => panel.evaluate((code, arg) => new Function('browser', 'arg', code)((globalThis as unknown as { browser: unknown }).browser, arg), code, arg);
    const sharedWindow = (await api('return browser.tabs.query({}).then((ts) => ts.find((t) => t.url.startsWith(arg)).windowId)', site.url)) as number;
    const otherTab = (await api('return browser.tabs.create({ windowId: arg.w, url: arg.u, active: true }).then((t) => t.id)', { w: sharedWindow, u: `${site.url}?c=rgb(220,220,0)` })) as number;
    const before = generates().length;
    await askFirefox(panel, 'What is this?');
    await waitFor(async () => generates().length === before + 1, 20_000, 'send the question');
    expect(questionFrame(generates().at(-1)!), 'no frame of the other tab').toBeUndefined();
    await waitFor(async () => /in front of its window/.test(await alertText(panel)), 10_000, 'say the shared tab is not in front');
    await api('return browser.tabs.remove(arg)', otherTab);
  });

  it('keeps the conversation and the shared tab when Firefox suspends the background page', async () => {
    await clickButton(panel, 'Pause');
    await waitFor(async () => (await countButtons(panel, 'Resume')) === 1, 10_000, 'pause');
    const before = await backgroundStartedAt(panel);
    // Paused, nothing calls an extension API: Firefox suspends the event page; the panel's reconnect wakes it.
    await waitFor(async () => (await backgroundStartedAt(panel)) > before, 20_000, 'see the background page restart');
    // The restarted page restores, then answers the panel's reconnect: the sharing it shows comes from there.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await countButtons(panel, 'Resume'), 'sharing still paused after the restart').toBe(1);
    expect(await logText(panel)).toContain('And now?');

    await clickButton(panel, 'Resume');
    await expectSharingFirefox(panel);
    await setColor('rgb(220,0,0)');
    await new Promise((r) => setTimeout(r, 150));
    const sent = generates().length;
    await askFirefox(panel, 'Still there?');
    await waitFor(async () => generates().length === sent + 1, 20_000, 'send the question after the restart');
    const third = generates().at(-1)!;
    expect(textsOf(third).join('\n')).toContain('And now?');
    expect(questionFrame(third), 'a frame of the still-shared tab').toBeDefined();
    expect(colorName(averageColor(questionFrame(third)!))).toBe('red');
  });

  it('stops sharing and says why when the shared tab is closed', async () => {
    await tab.close();
    await waitFor(async () => /closed/i.test(await alertText(panel)), 15_000, 'say the tab was closed');
    await waitFor(async () => (await countButtons(panel, 'Share this tab')) === 1, 15_000, 'offer sharing again');
  });
});

describe('sharing the camera in Firefox', () => {
  it('the panel page captures the camera and its frame reaches the upstream with the question', async () => {
    await clickButton(panel, 'Share camera');
    await expectSharingFirefox(panel);
    await waitFor(async () => (await panel.$$('img[alt="What Sightline sees"]')).length === 1, 15_000, 'show the thumbnail');
    const before = generates().length;
    await askFirefox(panel, 'What do you see in front of the camera?');
    await waitFor(async () => generates().length === before + 1, 20_000, 'send the camera question');
    const frame = averageColor(questionFrame(generates().at(-1)!)!);
    // Firefox's fake camera starts at solid green on each getUserMedia (platform facts).
    expect(colorName(frame), JSON.stringify(frame)).toBe('green');
    await waitFor(async () => (await logText(panel)).includes('What do you see in front of the camera?'), 20_000, 'show the camera question');

    await clickButton(panel, 'Stop sharing');
    await waitFor(async () => (await countButtons(panel, 'Share camera')) === 1, 10_000, 'offer sharing again');
  });
});

describe('the real sidebar', () => {
  it('opens on user input and shows the same conversation', async () => {
    // sidebarAction.open() needs user input: a real click in an extension page (as the toolbar click in the product).
    await panel.evaluate(() => {
      const api = (globalThis as unknown as { browser: { sidebarAction: { open(): Promise<void> } } }).browser;
      document.body.addEventListener('click', () => void api.sidebarAction.open(), { once: true, capture: true });
    });
    await panel.mouse.click(2, 2);
    const sidebarLog = () =>
      panel.evaluate(() => {
        const api = (globalThis as unknown as { browser: { extension: { getViews(q: { type: string }): Window[] } } }).browser;
        return api.extension.getViews({ type: 'sidebar' }).map((w) => w.document.querySelector('[role=log]')?.textContent ?? '');
      });
    await waitFor(async () => (await sidebarLog()).some((t) => t.includes('What colour is the page?')), 15_000, 'show the conversation in the sidebar');
  });
});
