/**
 * Launches Debian's Firefox ESR with the built extension (puppeteer-core over WebDriver BiDi) and gives
 * tests what they need: the extension's fixed origin, pages of the extension opened in their own windows,
 * and code run in the extension's context.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FIREFOX_ADDON_ID } from '../../lib/core/extension-ids.ts';
import { TEST_OUT_DIR } from './chromium.ts';

export const FIREFOX = process.env.SIGHTLINE_FIREFOX ?? '/usr/bin/firefox-esr';
export const FIREFOX_BUILD = resolve(TEST_OUT_DIR, 'firefox-mv3');
/** Mapped to the add-on id with `extensions.webextensions.uuids`, so moz-extension:// URLs are predictable. */
export const FIREFOX_EXTENSION_UUID = '5e1c7a11-9b2d-4c3e-8f00-51647411ee00';
export const FIREFOX_ORIGIN = `moz-extension://${FIREFOX_EXTENSION_UUID}`;

export interface FirefoxLaunchOptions {
  extensionDir?: string;
  /** Extra preferences (e.g. a short `extensions.background.idle.timeout`). */
  prefs?: Record<string, unknown>;
}

export interface FirefoxHarness {
  browser: Browser;
  /** Opens `url` in a window of its own: captureVisibleTab sees only the front tab of each window. */
  openWindow(url: string): Promise<Page>;
  /** The side panel page (sidepanel.html) as a tab in its own window, how tests drive the UI. */
  openPanel(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchFirefox(opts: FirefoxLaunchOptions = {}): Promise<FirefoxHarness> {
  const extensionDir = opts.extensionDir ?? FIREFOX_BUILD;
  if (!existsSync(join(extensionDir, 'manifest.json'))) throw new Error(`No built extension in ${extensionDir}: run wxt build -b firefox`);
  const profile = mkdtempSync(join(tmpdir(), 'sightline-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    // SIGHTLINE_HEADED=1 under xvfb-run: a real window (headless Firefox has no screen for getDisplayMedia).
    headless: !process.env.SIGHTLINE_HEADED,
    userDataDir: profile,
    // Lets BiDi navigate to moz-extension:// pages.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_EXTENSION_UUID }),
      // A fake camera that needs no prompt (cycles through solid colours, green first).
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      ...opts.prefs,
    },
  });
  try {
    await browser.installExtension(extensionDir);
  } catch (err) {
    await browser.close();
    throw err;
  }

  async function openWindow(url: string): Promise<Page> {
    const page = await browser.newPage({ type: 'window' });
    if (url.startsWith('moz-extension:')) {
      // goto() of an extension page never resolves over BiDi: start it and wait for the document instead.
      void page.goto(url).catch(() => {});
      await waitFor(async () => (await page.evaluate(() => `${location.href} ${document.readyState}`).catch(() => '')) === `${url} complete`, 15_000, `load ${url}`);
    } else {
      await page.goto(url);
    }
    return page;
  }

  return {
    browser,
    openWindow,
    openPanel: () => openWindow(`${FIREFOX_ORIGIN}/sidepanel.html`),
    async close() {
      await browser.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting to ${what}`);
}
