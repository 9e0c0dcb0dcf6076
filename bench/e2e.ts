/**
 * npm run bench:e2e — the real pipeline in headless Chromium (built extension, real proxy, stand-in Gemini):
 *   encode time per frame, bytes per frame on a busy 720p clip, the age of the pixels sent with a question,
 *   and ask-to-first-token-painted minus the upstream's own delay. Baselines are measured in the same run:
 *   encoding on the page's main thread (what a naive extension does) at the seed's full-frame size, and the
 *   SDK calling the stand-in upstream directly from Node.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { GoogleGenAI } from '@google/genai';
import setup from '../tests/e2e/global-setup.ts';
import { launchChromium, type ChromeHarness } from '../tests/support/chromium.ts';
import { startStack, TEST_TOKEN } from '../tests/support/stack.ts';
import { configurePanel } from '../tests/support/panel.ts';
import { imagesOf } from '../tests/support/images.ts';
import { startClockSite, readClock, clockAge } from '../tests/support/clock-site.ts';
import { writeY4m } from '../tests/support/y4m.ts';
import { percentile, printTable, type Row } from './stats.ts';

const UPSTREAM_FIRST_DELAY_MS = 250;
const QUESTIONS = 12;

interface FrameStat { encodeMs: number; bytes: number }

/**
 * Frames travel on the offscreen document's CAPTURE_PORT to the service worker: a second onConnect listener
 * there, added before sharing starts, sees the same port's messages (the rpc.ts envelope of a 'capture' event).
 */
async function recordFrames(chrome: ChromeHarness): Promise<void> {
  const sw = await chrome.serviceWorker();
  await sw.evaluate(() => {
    type Envelope = { rpc?: string; name?: string; request?: { type?: string; frame?: { encodeMs: number; data: string } } };
    type Port = { name: string; onMessage: { addListener(f: (m: Envelope) => void): void } };
    const g = globalThis as unknown as { __frames: FrameStat[]; chrome: { runtime: { onConnect: { addListener(f: (p: Port) => void): void } } } };
    type FrameStat = { encodeMs: number; bytes: number };
    g.__frames = [];
    g.chrome.runtime.onConnect.addListener((port) => {
      if (port.name !== 'sightline-capture') return;
      port.onMessage.addListener((m) => {
        const frame = m.rpc === 'event' && m.name === 'capture' && m.request?.type === 'frame' ? m.request.frame : undefined;
        if (frame) g.__frames.push({ encodeMs: frame.encodeMs, bytes: Math.floor((frame.data.length * 3) / 4) });
      });
    });
  });
}

const takeFrames = async (chrome: ChromeHarness) =>
  (await chrome.serviceWorker()).evaluate(() => (globalThis as unknown as { __frames: FrameStat[] }).__frames.splice(0));

/** Keydown to first answer text painted (next animation frame after the mutation), in the panel's clock. */
async function askAndTime(panel: Page, question: string): Promise<number> {
  await panel.getByRole('textbox', { name: 'Ask about what you see' }).fill(question);
  const ms = await panel.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const log = document.querySelector('[role=log]')!;
        const box = document.querySelector('#ask-input')!;
        const before = log.querySelectorAll('article').length;
        let start = 0;
        const obs = new MutationObserver(() => {
          const text = log.querySelectorAll('article')[before]?.querySelector('.answer')?.textContent ?? '';
          if (text.trim().length > 0) {
            obs.disconnect();
            requestAnimationFrame(() => resolve(performance.now() - start));
          }
        });
        obs.observe(log, { subtree: true, childList: true, characterData: true });
        start = performance.now();
        box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      }),
  );
  await panel.waitForFunction(() => !document.querySelector('button') || ![...document.querySelectorAll('button')].some((b) => b.textContent === 'Stop answering'));
  return ms;
}

async function baselineEncode(panel: Page, clip: string): Promise<{ mainThreadMs: number; fullFrameBytes: number }> {
  void clip;
  return panel.evaluate(async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 } });
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = stream;
    await video.play();
    const times: number[] = [];
    const sizes: number[] = [];
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 150));
      const t0 = performance.now();
      const c = new OffscreenCanvas(video.videoWidth, video.videoHeight);
      c.getContext('2d')!.drawImage(video, 0, 0);
      const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
      times.push(performance.now() - t0);
      sizes.push(blob.size);
    }
    stream.getTracks().forEach((t) => t.stop());
    times.sort((a, b) => a - b);
    sizes.sort((a, b) => a - b);
    return { mainThreadMs: times[5]!, fullFrameBytes: sizes[5]! };
  });
}

async function sdkBaseline(upstreamUrl: string): Promise<number[]> {
  const ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: upstreamUrl, apiVersion: 'v1beta' } });
  const out: number[] = [];
  for (let i = 0; i < QUESTIONS; i++) {
    const t0 = performance.now();
    const stream = await ai.models.generateContentStream({ model: 'gemini-flash-latest', contents: 'hi' });
    for await (const _ of stream) {
      out.push(performance.now() - t0 - UPSTREAM_FIRST_DELAY_MS);
      break;
    }
  }
  return out;
}

const step = (what: string) => process.stderr.write(`  · ${what}\n`);

async function main(): Promise<void> {
  setup();
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-'));
  const clip = join(dir, 'busy720.y4m');
  // A busy 720p clip: moving shapes over a shifting gradient and rows of fine, text-like detail.
  writeY4m(clip, {
    width: 1280, height: 720, fps: 10, colors: [[40, 40, 40]], framesPer: 30,
    paint: (f, x, y) => {
      const band = Math.floor(y / 24) % 3 === 0;
      if (band && ((x + f * 7) % 9 < 2 || (y % 24) < 3)) return [20, 20, 20];
      const bx = Math.floor((x + f * 23) / 160), by = Math.floor((y + f * 11) / 120);
      if ((bx * 7 + by * 3) % 5 === 0) return [(bx * 53) % 255, (by * 97) % 255, ((bx + by) * 31) % 255];
      return [(x / 5 + f * 4) % 255, (y / 3) % 255, 140];
    },
  });

  const stack = await startStack();
  const clock = await startClockSite();
  let chrome: ChromeHarness | undefined;
  try {
    chrome = await launchChromium({ cameraFile: clip });
    await chrome.context.grantPermissions(['camera']);
    const tab = await chrome.context.newPage();
    await tab.goto(clock.url);
    const panel = await chrome.openPanel();
    await configurePanel(panel, stack.proxy.url, TEST_TOKEN);
    await recordFrames(chrome);
    if (process.env.SW_LOG) (await chrome.serviceWorker()).on('console', (m) => console.log('SW', m.text()));

    step('sharing the clock tab');
    // 1. The tab: freshness of the question frame and ask-to-first-token.
    stack.gemini.respond(() => ({ text: ['Seen', ' it.'], firstDelayMs: UPSTREAM_FIRST_DELAY_MS }));
    await tab.bringToFront();
    await chrome.clickToolbarButton(tab);
    await panel.getByRole('button', { name: 'Share this tab' }).click();
    await panel.getByRole('button', { name: 'Stop sharing' }).waitFor({ timeout: 15_000 });
    await panel.waitForTimeout(1500);
    step('asking');
    const ages: number[] = [];
    const firstToken: number[] = [];
    for (let i = 0; i < QUESTIONS; i++) {
      await panel.waitForTimeout(200 + ((i * 137) % 500));
      const askedAt = Date.now();
      const ms = await askAndTime(panel, `Question ${i}: what time does the page show?`);
      firstToken.push(ms - UPSTREAM_FIRST_DELAY_MS);
      const req = stack.gemini.requests.filter((r) => r.path.includes(':streamGenerateContent')).at(-1)!;
      ages.push(clockAge(readClock(imagesOf(req).at(-1)!), askedAt));
      if (process.env.SW_LOG) console.log(`RECV ${req.receivedAt} bytes ${JSON.stringify(req.body).length}`);
    }
    const tabFrames = await takeFrames(chrome);
    await panel.getByRole('button', { name: 'Stop sharing' }).click();
    await panel.getByRole('button', { name: 'Share camera' }).waitFor();

    step('sharing the busy camera clip');
    // 2. The busy 720p camera clip: bytes and encode time per kept frame.
    await panel.getByRole('button', { name: 'Share camera' }).click();
    await panel.getByRole('button', { name: 'Stop sharing' }).waitFor({ timeout: 15_000 });
    await panel.waitForTimeout(12_000);
    const camFrames = await takeFrames(chrome);
    await panel.getByRole('button', { name: 'Stop sharing' }).click();
    step('baselines');
    const base = await baselineEncode(panel, clip);
    const sdk = await sdkBaseline(stack.gemini.url);

    const encode = [...tabFrames, ...camFrames].map((f) => f.encodeMs);
    const bytes = camFrames.map((f) => f.bytes / 1024);
    const rows: Row[] = [
      { figure: `encode per frame, p50 (${encode.length} frames, Worker)`, value: percentile(encode, 50), unit: 'ms', target: '<= 15 ms', ok: percentile(encode, 50) <= 15, baseline: `main thread, full 720p: ${base.mainThreadMs.toFixed(1)} ms` },
      { figure: 'encode per frame, p95', value: percentile(encode, 95), unit: 'ms', target: '(info)', ok: true },
      { figure: `bytes per frame, busy 720p, p50 (${bytes.length} kept)`, value: percentile(bytes, 50), unit: 'KB', target: '<= 60 KB', ok: percentile(bytes, 50) <= 60, baseline: `full 720p q0.8: ${(base.fullFrameBytes / 1024).toFixed(1)} KB` },
      { figure: 'bytes per frame, busy 720p, max', value: Math.max(...bytes), unit: 'KB', target: '(info)', ok: true },
      { figure: `age of the question's frame, p50 (${ages.length} asks)`, value: percentile(ages, 50), unit: 'ms', target: '<= 100 ms', ok: percentile(ages, 50) <= 100 },
      { figure: "age of the question's frame, max", value: Math.max(...ages), unit: 'ms', target: '(info)', ok: true },
      { figure: 'ask -> first token painted - upstream delay, p50', value: percentile(firstToken, 50), unit: 'ms', target: '<= 50 ms', ok: percentile(firstToken, 50) <= 50, baseline: `SDK direct from Node: ${percentile(sdk, 50).toFixed(1)} ms` },
      { figure: 'ask -> first token painted - upstream delay, p95', value: percentile(firstToken, 95), unit: 'ms', target: '(info)', ok: true },
    ];
    printTable('bench:e2e — headless Chromium, real extension, real proxy, stand-in Gemini', rows);
  } finally {
    await chrome?.close();
    await clock.close();
    await stack.close();
  }
}

await main();
