/**
 * Launches Debian's Firefox ESR with the built extension (puppeteer-core over WebDriver BiDi) and gives
 * tests what they need: the extension's fixed origin, pages of the extension opened in their own windows,
 * and code run in the extension's context.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FIREFOX_ADDON_ID } from '../../lib/core/extension-ids.ts';
import { TEST_OUT_DIR } from './chromium.ts';

export const FIREFOX = process.env.SIGHTLINE_FIREFOX ?? '/usr/bin/firefox-esr';
const PULSEAUDIO = '/usr/bin/pulseaudio';
export const FIREFOX_BUILD = resolve(TEST_OUT_DIR, 'firefox-mv3');
/** Mapped to the add-on id with `extensions.webextensions.uuids`, so moz-extension:// URLs are predictable. */
export const FIREFOX_EXTENSION_UUID = '5e1c7a11-9b2d-4c3e-8f00-51647411ee00';
export const FIREFOX_ORIGIN = `moz-extension://${FIREFOX_EXTENSION_UUID}`;

export interface FirefoxLaunchOptions {
  extensionDir?: string;
  /** Extra preferences (e.g. a short `extensions.background.idle.timeout`). */
  prefs?: Record<string, unknown>;
  /**
   * Give Firefox an audio output that discards what it plays: a PulseAudio server of its own with a null sink
   * (Debian's `pulseaudio`). On a machine without a sound card or sound server Firefox has no output, and then
   * never starts an AudioContext: `resume()` stays pending, so the microphone's worklet and Live playback never
   * run (tried first: ALSA's null device through `.asoundrc`, which Firefox 153's cubeb did not open).
   */
  nullAudio?: boolean;
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
  const sound = opts.nullAudio ? await startNullSound() : undefined;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    // SIGHTLINE_HEADED=1 under xvfb-run: a real window (headless Firefox has no screen for getDisplayMedia).
    headless: !process.env.SIGHTLINE_HEADED,
    userDataDir: profile,
    ...(sound ? { env: { ...process.env, PULSE_SERVER: sound.server } } : {}),
    // Lets BiDi navigate to moz-extension:// pages.
    args: ['--remote-allow-system-access'],
    // A BiDi command Firefox never answers fails in 30 s, naming the command, well inside a test's 120 s
    // (puppeteer's default is 180 s: a hung evaluate or click then showed only as the test's own timeout).
    protocolTimeout: 30_000,
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
    sound?.stop();
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
      sound?.stop();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A PulseAudio server with only a null sink, on a socket in a directory of its own. */
async function startNullSound(): Promise<{ server: string; stop(): void }> {
  if (!existsSync(PULSEAUDIO)) throw new Error(`${PULSEAUDIO} is missing: sudo apt-get install -y pulseaudio (Firefox needs an audio output for Live mode)`);
  const dir = mkdtempSync(join(tmpdir(), 'sightline-pulse-'));
  const socket = join(dir, 'pulse.sock');
  const child = spawn(PULSEAUDIO, [
    '-n', '--daemonize=no', '--exit-idle-time=-1', '--use-pid-file=no', '--log-target=stderr', '--log-level=error',
    '-L', 'module-null-sink', '-L', `module-native-protocol-unix socket=${socket} auth-anonymous=1`,
  ], { env: { ...process.env, HOME: dir, XDG_RUNTIME_DIR: dir }, stdio: 'ignore' });
  await waitFor(async () => existsSync(socket), 10_000, 'start pulseaudio');
  return {
    server: `unix:${socket}`,
    stop() {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const timedOut = (detail: string) => new Error(`timed out after ${timeoutMs} ms waiting to ${what}${detail}`);
  while (Date.now() < deadline) {
    // A check that never settles (a page evaluate Firefox never answers) must still fail here, by name.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hung = new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), Math.max(0, deadline - Date.now()))));
    const result = await Promise.race([check(), hung]).finally(() => clearTimeout(timer));
    if (result === 'hung') throw timedOut(' (the last check never answered)');
    if (result) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw timedOut('');
}
