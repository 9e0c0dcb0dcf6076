/**
 * The camera in real Chromium: a generated clip plays as the webcam; the panel asks for the camera
 * itself, the offscreen document captures it, and the frame sent with a question shows the clip.
 * Also a smoke test of the real side panel opened by the toolbar button.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, type ChromeHarness } from '../support/chromium.ts';
import { startColorSite, startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';
import { averageColor, colorName, imagesOf } from '../support/images.ts';
import { ask, configurePanel, expectSharing, log } from '../support/panel.ts';
import { writeY4m } from '../support/y4m.ts';

let stack: Stack;
let chrome: ChromeHarness;

beforeAll(async () => {
  const clip = join(mkdtempSync(join(tmpdir(), 'sightline-clip-')), 'camera.y4m');
  // Two seconds of blue, looped by Chromium's fake camera.
  writeY4m(clip, { width: 320, height: 240, fps: 10, colors: [[0, 0, 230]], framesPer: 20 });
  stack = await startStack();
  chrome = await launchChromium({ cameraFile: clip });
  await chrome.context.grantPermissions(['camera']);
});

afterAll(async () => {
  await chrome?.close();
  await stack?.close();
});

describe('sharing the camera in Chrome', () => {
  it('sends what the camera shows with the question', async () => {
    const panel = await chrome.openPanel();
    await configurePanel(panel, stack.proxy.url, TEST_TOKEN);
    await panel.getByRole('button', { name: 'Share camera' }).click();
    await expectSharing(panel);
    await expect.poll(() => panel.getByRole('img', { name: 'What Sightline sees' }).count(), { timeout: 15_000 }).toBe(1);

    await ask(panel, 'What do you see in front of the camera?');
    const req = await stack.gemini.waitForRequest((r) => r.path.includes(':streamGenerateContent'), 20_000);
    const frame = averageColor(imagesOf(req).at(-1)!);
    expect(colorName(frame), JSON.stringify(frame)).toBe('blue');
    await expect.poll(() => log(panel).textContent(), { timeout: 20_000 }).toContain('You asked');

    await panel.getByRole('button', { name: 'Stop sharing' }).click();
    await expect.poll(() => panel.getByRole('button', { name: 'Share camera' }).count(), { timeout: 10_000 }).toBe(1);
  });
});

describe('the real side panel', () => {
  it('opens beside the tab when the toolbar button is clicked', async () => {
    const site = await startColorSite();
    try {
      const tab = await chrome.context.newPage();
      await tab.goto(site.url);
      await chrome.clickToolbarButton(tab);
      const panelUrl = `chrome-extension://${chrome.extensionId}/sidepanel.html`;
      await expect
        .poll(async () => {
          const { targetInfos } = (await chrome.browserCdp('Target.getTargets', { filter: [{}] })) as { targetInfos: Array<{ url: string }> };
          return targetInfos.some((t) => t.url === panelUrl);
        }, { timeout: 10_000 })
        .toBe(true);
    } finally {
      await site.close();
    }
  });
});
