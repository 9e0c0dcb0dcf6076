/**
 * Launches Debian's Chromium with the built extension (playwright-core), and gives tests the handles
 * they need: the extension id, the service worker, a panel page, and a toolbar "click" on a tab
 * (DevTools `Extensions.triggerAction`, which fires action.onClicked like a real click).
 */
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEV_EXTENSION_ID } from '../../lib/core/extension-ids.ts';

export const CHROMIUM = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';
export const TEST_OUT_DIR = '.output/test';
export const CHROME_BUILD = resolve(TEST_OUT_DIR, 'chrome-mv3');

export interface LaunchOptions {
  extensionDir?: string;
  /** A y4m clip for the fake camera. */
  cameraFile?: string;
  /** A WAV for the fake microphone (looped by Chromium). */
  audioFile?: string;
  userDataDir?: string;
  headless?: boolean;
  /** More Chromium arguments, e.g. `--force-device-scale-factor=2` for a HiDPI screen. */
  args?: string[];
}

export interface ChromeHarness {
  context: BrowserContext;
  extensionId: string;
  userDataDir: string;
  serviceWorker(): Promise<Worker>;
  /** The side panel page, opened as a tab (Playwright does not list the real panel). */
  openPanel(): Promise<Page>;
  /** Acts as a click on the toolbar button while `page` is the tab. */
  clickToolbarButton(page: Page): Promise<void>;
  /** Raw DevTools call on the browser target, or on an attached target's session. */
  browserCdp(method: string, params?: Record<string, unknown>, sessionId?: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function launchChromium(opts: LaunchOptions = {}): Promise<ChromeHarness> {
  const extensionDir = opts.extensionDir ?? CHROME_BUILD;
  if (!existsSync(join(extensionDir, 'manifest.json'))) throw new Error(`No built extension in ${extensionDir}: run wxt build`);
  const ownDir = !opts.userDataDir;
  const userDataDir = opts.userDataDir ?? mkdtempSync(join(tmpdir(), 'sightline-chromium-'));
  const args = [
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--remote-debugging-port=0',
    '--use-fake-device-for-media-stream',
    ...(opts.cameraFile ? [`--use-file-for-fake-video-capture=${opts.cameraFile}`] : []),
    ...(opts.audioFile ? [`--use-file-for-fake-audio-capture=${opts.audioFile}`] : []),
    ...(opts.args ?? []),
  ];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: opts.headless ?? true,
    args,
    // Playwright mutes audio by default, and a muted tab is captured as silence: the tab-sound test needs it on.
    ignoreDefaultArgs: ['--disable-extensions', '--mute-audio'],
    viewport: null,
  });
  const extensionId = DEV_EXTENSION_ID;
  const ws = await browserSocket(userDataDir);

  async function serviceWorker(): Promise<Worker> {
    const existing = context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
    return existing ?? context.waitForEvent('serviceworker', { timeout: 15_000 });
  }

  return {
    context,
    extensionId,
    userDataDir,
    serviceWorker,
    async openPanel() {
      // In a window of its own, as the real panel sits beside the tab: a hidden tab stops painting,
      // and tab capture then delivers no new frames.
      const url = `chrome-extension://${extensionId}/sidepanel.html`;
      const opened = context.waitForEvent('page', { predicate: (p) => p.url() === url, timeout: 15_000 });
      await ws.send('Target.createTarget', { url, newWindow: true });
      const page = await opened;
      await page.waitForLoadState('domcontentloaded');
      return page;
    },
    async clickToolbarButton(page) {
      const url = page.url();
      const { targetInfos } = (await ws.send('Target.getTargets', { filter: [{}] })) as { targetInfos: Array<{ targetId: string; type: string; url: string }> };
      const tab = targetInfos.find((t) => t.type === 'tab' && t.url === url) ?? targetInfos.find((t) => t.type === 'page' && t.url === url);
      if (!tab) throw new Error(`no tab target for ${url}`);
      await ws.send('Extensions.triggerAction', { id: extensionId, targetId: tab.targetId });
    },
    browserCdp: (method, params, sessionId) => ws.send(method, params, sessionId),
    async close() {
      ws.close();
      await context.close().catch(() => {});
      if (ownDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A minimal DevTools client on the browser endpoint (Node 22's global WebSocket). */
async function browserSocket(userDataDir: string) {
  const portFile = join(userDataDir, 'DevToolsActivePort');
  const deadline = Date.now() + 10_000;
  while (!existsSync(portFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const [port, path] = readFileSync(portFile, 'utf8').trim().split('\n');
  const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  await new Promise<void>((res, rej) => {
    socket.onopen = () => res();
    socket.onerror = () => rej(new Error('DevTools socket failed'));
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  socket.onmessage = (ev) => {
    const msg = JSON.parse(String(ev.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const p = msg.id ? pending.get(msg.id) : undefined;
    if (!p) return;
    pending.delete(msg.id!);
    if (msg.error) p.reject(new Error(msg.error.message));
    else p.resolve(msg.result);
  };
  return {
    send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<unknown> {
      const id = nextId++;
      socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    close: () => socket.close(),
  };
}
