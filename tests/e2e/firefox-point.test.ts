/**
 * Issue 14 in real Firefox ESR, where the platform allows it (docs/firefox.md, "Point, hear, look closer,
 * timeline in Firefox"): a shared tab is not heard, and the panel says so with no Sound toggle; pointing at a part
 * with the keyboard sends a crop of that part (captureVisibleTab's rect); an answer's boxes are drawn on the
 * question's frame; the timeline lists the kept scenes and choosing one sends that scene.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launchFirefox, waitFor, type FirefoxHarness } from '../support/firefox.ts';
import { startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';
import { averageColor, averageColorIn, colorName } from '../support/images.ts';
import type { RecordedRequest } from '../support/fake-gemini.ts';
import { askFirefox, clickButton, configureFirefoxPanel, countButtons, expectSharingFirefox } from '../support/firefox-panel.ts';
import { startQuarterSite } from '../support/quarter-site.ts';

interface Part { text?: string; inlineData?: { mimeType: string; data: string }; functionCall?: unknown }

let stack: Stack;
let site: Awaited<ReturnType<typeof startQuarterSite>>;
let firefox: FirefoxHarness;
let panel: Page;

const generate = (r: RecordedRequest) => r.action === 'streamGenerateContent';
const generates = () => stack.gemini.requests.filter(generate);
const lastParts = () => (generates().at(-1)!.body as { contents: Array<{ parts: Part[] }> }).contents.at(-1)!.parts;
const text = (selector: string) => panel.evaluate((s) => document.querySelector(s)?.textContent ?? '', selector);

beforeAll(async () => {
  stack = await startStack();
  site = await startQuarterSite();
  firefox = await launchFirefox();
  await firefox.openWindow(site.url);
  panel = await firefox.openPanel();
  await configureFirefoxPanel(panel, stack.proxy.url, TEST_TOKEN);
});

afterAll(async () => {
  await firefox?.close();
  await site?.close();
  await stack?.close();
});

describe('point, hear, timeline in Firefox', () => {
  it('a shared tab is not heard: the panel says why, offers no Sound toggle, and the live bar never says "sound"', async () => {
    await clickButton(panel, 'Share this tab');
    await expectSharingFirefox(panel);
    await waitFor(async () => (await text('.sound-note')).startsWith('No sound: Firefox cannot capture a tab’s sound'), 15_000, 'say why there is no sound');
    expect(await countButtons(panel, 'Sound')).toBe(0);
    expect(await text('.livebar')).not.toContain('sound');
  });

  it('Point with the keyboard, then ask: the crop of the green quarter goes before the whole frame', async () => {
    await waitFor(async () => (await panel.$$('.live-thumb img')).length === 1, 15_000, 'show the live thumbnail');
    await clickButton(panel, 'Point');
    await waitFor(async () => (await panel.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '')).startsWith('Part to ask about'), 10_000, 'focus the box');
    // From the middle (37.5% to 62.5%) to the top-right quarter: 10 steps right, 15 up (2% each).
    for (let i = 0; i < 10; i++) await panel.keyboard.press('ArrowRight');
    for (let i = 0; i < 15; i++) await panel.keyboard.press('ArrowUp');
    await panel.keyboard.press('Enter');
    await waitFor(async () => /^Pointed: left 5[78]%, top [78]%/.test(await text('.chip.pointed .chip-text')), 10_000, `show the pointed part (not "${await text('.chip.pointed .chip-text')}")`);
    const before = generates().length;
    await askFirefox(panel, 'What is in this part?');
    await waitFor(async () => generates().length === before + 1, 20_000, 'send the question');
    const parts = lastParts();
    const at = parts.findIndex((p) => p.text?.startsWith('[The region the person pointed at'));
    expect(at, JSON.stringify(parts.map((p) => p.text?.slice(0, 80) ?? p.inlineData?.mimeType))).toBeGreaterThanOrEqual(0);
    const crop = averageColor(parts[at + 1]!.inlineData!.data);
    expect(colorName(crop), JSON.stringify(crop)).toBe('green');
    await waitFor(async () => (await panel.$$('img[alt="The part you pointed at"]')).length === 1, 10_000, 'show the crop in the log');
  });

  it('an answer that points back: its box is drawn on the question’s frame, over the quarter it names', async () => {
    stack.gemini.respond((req) =>
      generate(req)
        ? {
            replay: {
              events: [
                {
                  candidates: [{ content: { role: 'model', parts: [{ text: 'Blue is bottom left.' }, { functionCall: { name: 'point_at', args: { label: 'Blue quarter', box_2d: [500, 0, 1000, 500] } } }] }, finishReason: 'STOP', index: 0 }],
                  usageMetadata: { promptTokenCount: 300, candidatesTokenCount: 5, totalTokenCount: 305 },
                },
              ],
            },
          }
        : { text: ['ok'] },
    );
    await askFirefox(panel, 'Where is the blue quarter?');
    await waitFor(async () => (await panel.$$('.places-frame .point-box')).length === 1, 20_000, 'draw the box');
    await waitFor(async () => panel.evaluate(() => Boolean(document.querySelector<HTMLImageElement>('.places-frame img')?.complete)), 10_000, 'load the frame');
    const where = await panel.evaluate(() => {
      const img = document.querySelector('.places-frame img')!.getBoundingClientRect();
      const box = document.querySelector('.places-frame .point-box')!.getBoundingClientRect();
      return { x: (box.left - img.left) / img.width, y: (box.top - img.top) / img.height, w: box.width / img.width, h: box.height / img.height };
    });
    for (const [k, want] of Object.entries({ x: 0, y: 0.5, w: 0.5, h: 0.5 })) expect(Math.abs(where[k as keyof typeof where] - want), JSON.stringify(where)).toBeLessThan(0.02);
    stack.gemini.reset();
  });

  it('the timeline: choosing the first scene sends it, although the tab has changed since', async () => {
    const tab = (await firefox.browser.pages()).find((p) => p.url().startsWith(site.url))!;
    await tab.evaluate(() => (window as unknown as { allBlue(): void }).allBlue());
    await new Promise((r) => setTimeout(r, 1500));
    await clickButton(panel, 'Timeline');
    await waitFor(async () => (await panel.$$('button.scene')).length > 1, 10_000, 'list the scenes');
    await panel.focus('button.scene');
    await panel.keyboard.press('Enter');
    await waitFor(async () => (await text('.chip.pointed .chip-text')).startsWith('About '), 10_000, 'set the scene on the ask box');
    const before = generates().length;
    await askFirefox(panel, 'What was there then?');
    await waitFor(async () => generates().length === before + 1, 20_000, 'send the question');
    const parts = lastParts();
    const chosen = parts.findIndex((p) => p.text?.startsWith('[The person chose the scene captured at'));
    expect(chosen, JSON.stringify(parts.map((p) => p.text?.slice(0, 80) ?? p.inlineData?.mimeType))).toBeGreaterThanOrEqual(0);
    const scene = parts[chosen + 1]!.inlineData!.data;
    expect(colorName(averageColorIn(scene, { x: 0.05, y: 0.05, w: 0.4, h: 0.4 }))).toBe('red');
    expect(colorName(averageColorIn(scene, { x: 0.55, y: 0.05, w: 0.4, h: 0.4 }))).toBe('green');
  });
});
