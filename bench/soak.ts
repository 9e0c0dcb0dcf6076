/**
 * npm run bench:soak — shares a busy clip for ten minutes (SOAK_MINUTES to change) with a question every
 * minute, and reports the memory of the service worker, the offscreen document and the panel (JS heap after
 * a forced GC, via DevTools) and of the extension's renderer processes (RSS), at the start and the end.
 * Target: growth under 20 MB after the media pipeline's warm-up; no frames piling up (frames held stay bounded).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import setup from '../tests/e2e/global-setup.ts';
import { launchChromium, type ChromeHarness } from '../tests/support/chromium.ts';
import { startStack, TEST_TOKEN } from '../tests/support/stack.ts';
import { ask, configurePanel } from '../tests/support/panel.ts';
import { writeY4m } from '../tests/support/y4m.ts';
import { printTable } from './stats.ts';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);

interface Snapshot { heaps: Record<string, number>; rssMB: number; frameCount: number; at: number }

async function heapOf(chrome: ChromeHarness, targetId: string): Promise<number> {
  const { sessionId } = (await chrome.browserCdp('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
  try {
    await chrome.browserCdp('HeapProfiler.collectGarbage', {}, sessionId).catch(() => {});
    const { usedSize } = (await chrome.browserCdp('Runtime.getHeapUsage', {}, sessionId)) as { usedSize: number };
    return usedSize / 2 ** 20;
  } finally {
    await chrome.browserCdp('Target.detachFromTarget', { sessionId }).catch(() => {});
  }
}

function extensionRssMB(userDataDir: string): number {
  const out = execFileSync('ps', ['-eo', 'rss=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes(userDataDir) && l.includes('--extension-process'))
    .reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[0]) / 1024, 0);
}

async function snapshot(chrome: ChromeHarness, frameCount: () => Promise<number>): Promise<Snapshot> {
  const { targetInfos } = (await chrome.browserCdp('Target.getTargets', { filter: [{}] })) as {
    targetInfos: Array<{ targetId: string; type: string; url: string }>;
  };
  const base = `chrome-extension://${chrome.extensionId}/`;
  const pick = (pred: (t: { type: string; url: string }) => boolean) => targetInfos.find((t) => t.url.startsWith(base) && pred(t));
  const targets = {
    'service worker': pick((t) => t.type === 'service_worker'),
    'offscreen document': pick((t) => t.url.endsWith('/offscreen.html') && t.type !== 'tab'),
    panel: pick((t) => t.url.endsWith('/sidepanel.html') && t.type === 'page'),
  };
  const heaps: Record<string, number> = {};
  for (const [name, t] of Object.entries(targets)) heaps[name] = t ? await heapOf(chrome, t.targetId) : NaN;
  return { heaps, rssMB: extensionRssMB(chrome.userDataDir), frameCount: await frameCount(), at: Date.now() };
}

async function main(): Promise<void> {
  setup();
  const clip = join(mkdtempSync(join(tmpdir(), 'sightline-soak-')), 'busy.y4m');
  // Busy and always changing: every sampled frame is kept, the worst case for memory.
  writeY4m(clip, {
    width: 1280, height: 720, fps: 10, colors: [[30, 30, 30]], framesPer: 40,
    paint: (f, x, y) => (((x >> 5) + (y >> 5) + f) % 4 === 0 ? [(x + f * 13) % 255, (y * 2) % 255, (f * 37) % 255] : undefined),
  });
  const stack = await startStack();
  const chrome = await launchChromium({ cameraFile: clip });
  try {
    await chrome.context.grantPermissions(['camera']);
    const panel = await chrome.openPanel();
    await configurePanel(panel, stack.proxy.url, TEST_TOKEN);
    // The panel's own view of the session tells how many frames the service worker holds.
    const frameCount = async () =>
      !panel.url().startsWith('chrome-extension://') ? NaN : panel.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const api = (globalThis as unknown as { chrome: { runtime: { connect(o: { name: string }): { onMessage: { addListener(f: (m: { type: string; state?: { session: { frameCount: number } } }) => void): void }; disconnect(): void } } } }).chrome;
            const port = api.runtime.connect({ name: 'sightline-panel' });
            port.onMessage.addListener((m) => {
              if (m.type === 'state' && m.state) {
                port.disconnect();
                resolve(m.state.session.frameCount);
              }
            });
          }),
      );
    await panel.getByRole('button', { name: 'Share camera' }).click();
    await panel.getByRole('button', { name: 'Stop sharing' }).waitFor({ timeout: 15_000 });
    // Chromium's media pipeline (software, no GPU) grows its frame pools by a fixed amount the first time a
    // page draws a playing video, then stays flat: measured apart from Sightline on a bare page that only
    // draws a 720p camera into a 128x72 canvas, +400 MB in the first 40 s and +5 MB in the next 120 s.
    // The start snapshot is taken after that warm-up; the warm-up's own growth is printed for the record.
    await panel.waitForTimeout(15_000);
    const early = await snapshot(chrome, frameCount);
    await panel.waitForTimeout(Number(process.env.SOAK_WARMUP_S ?? 120) * 1000);
    // SOAK_NO_PANEL=1: the panel closed while sharing, to tell the panel's memory from the capture's.
    const noPanel = process.env.SOAK_NO_PANEL === '1';
    const start = await snapshot(chrome, frameCount);
    if (noPanel) await panel.goto('about:blank');
    console.log(`soak: ${MINUTES} min of a busy clip, a question each minute…`);
    for (let m = 1; m <= MINUTES; m++) {
      await panel.waitForTimeout(60_000);
      if (!noPanel) await ask(panel, `Minute ${m}: what changed?`);
      const s = await snapshot(chrome, frameCount);
      console.log(`  minute ${m}: heaps ${Object.entries(s.heaps).map(([k, v]) => `${k} ${v.toFixed(1)} MB`).join(', ')}; extension RSS ${s.rssMB.toFixed(0)} MB; frames held ${s.frameCount}`);
    }
    await panel.waitForTimeout(5_000);
    if (noPanel) await panel.goto(`chrome-extension://${chrome.extensionId}/sidepanel.html`);
    const end = await snapshot(chrome, frameCount);
    const rows = Object.keys(start.heaps).map((name) => {
      const growth = end.heaps[name]! - start.heaps[name]!;
      return { figure: `${name} JS heap growth (${start.heaps[name]!.toFixed(1)} -> ${end.heaps[name]!.toFixed(1)} MB)`, value: growth, unit: 'MB', target: '< 20 MB', ok: growth < 20 };
    });
    rows.unshift({ figure: `warm-up: extension RSS in the first minutes (${early.rssMB.toFixed(0)} -> ${start.rssMB.toFixed(0)} MB)`, value: start.rssMB - early.rssMB, unit: 'MB', target: '(info: media pools)', ok: true });
    const rssGrowth = end.rssMB - start.rssMB;
    rows.push({ figure: `extension processes RSS growth (${start.rssMB.toFixed(0)} -> ${end.rssMB.toFixed(0)} MB)`, value: rssGrowth, unit: 'MB', target: '< 20 MB', ok: rssGrowth < 20 });
    rows.push({ figure: `frames held by the session (start ${start.frameCount})`, value: end.frameCount, unit: 'frames', target: '<= 200 (bounded)', ok: end.frameCount <= 200 });
    printTable(`bench:soak — ${MINUTES} minutes, busy 720p camera clip`, rows);
  } finally {
    await chrome.close();
    await stack.close();
  }
}

await main();
