/**
 * What Chrome's Live e2e tests start with: the stand-in Live server behind the real proxy, headless Chromium with
 * the built extension and a fake microphone playing a 440 Hz tone (48 kHz WAV), microphone access granted, a tab
 * showing one colour, and the side panel set up with the proxy like a person would.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, type ChromeHarness } from './chromium.ts';
import { startColorSite, startStack, TEST_TOKEN, type Stack } from './stack.ts';
import { configurePanel } from './panel.ts';
import { writeToneWav } from './wav.ts';
import type { FakeLiveServer } from './fake-live.ts';

export interface ChromeLive {
  /** The proxy and stand-ins (`stack.live` is the Live server). */
  stack: Stack;
  live: FakeLiveServer;
  chrome: ChromeHarness;
  /** The tab showing `colour`, to share. */
  tab: Page;
  panel: Page;
  close(): Promise<void>;
}

/** Starts it all; `colour` is a CSS colour for the tab (e.g. 'rgb(220,0,0)'). */
export async function startChromeLive(colour: string): Promise<ChromeLive> {
  const wav = join(mkdtempSync(join(tmpdir(), 'sightline-mic-')), 'mic.wav');
  writeToneWav(wav, { rate: 48000, hz: 440, ms: 2000 });
  const stack = await startStack({}, { live: true });
  const site = await startColorSite();
  const chrome = await launchChromium({ audioFile: wav });
  const close = async () => {
    await chrome.close();
    await site.close();
    await stack.close();
  };
  try {
    await chrome.context.grantPermissions(['microphone']);
    await chrome.serviceWorker();
    const tab = await chrome.context.newPage();
    await tab.goto(`${site.url}?c=${colour}`);
    const panel = await chrome.openPanel();
    await configurePanel(panel, stack.proxy.url, TEST_TOKEN);
    return { stack, live: stack.live!, chrome, tab, panel, close };
  } catch (err) {
    await close();
    throw err;
  }
}
