/**
 * Where the time from Enter to the first painted word goes, measured from outside the extension: listeners the
 * benchmark adds to the service worker (a second onConnect listener sees the same ports' messages; a wrapper
 * around fetch sees the request to the proxy and its first body bytes), the stand-in's receipt time, and the
 * panel's own clock. Every time is epoch ms (performance.timeOrigin + performance.now() where it runs), so
 * the contexts' clocks agree to about a millisecond on one machine.
 */
import type { Page } from 'playwright-core';
import type { ChromeHarness } from '../tests/support/chromium.ts';
import { percentile } from './stats.ts';

/** One question's marks (epoch ms); absent when that step was not seen. */
export interface AskMarks {
  keydown: number;
  /** The service worker received the ask command on the panel's port. */
  swAsk?: number;
  /** The offscreen document began taking the question's frame (FramePayload.capturedAt, ms resolution). */
  grabStart?: number;
  /** The question's frame (the grab's reply) reached the service worker. */
  swFrame?: number;
  /** Encode time the Worker reported for that frame. */
  encodeMs?: number;
  /** The service worker called fetch for the model request. */
  fetchStart?: number;
  /** Request body size (bytes). */
  requestBytes?: number;
  /** The proxy had the request's headers (its server's 'request' event). */
  proxyReceived?: number;
  /** The stand-in had read the whole request. */
  upstreamReceived?: number;
  /** The stand-in's first event left after this delay (ms). */
  upstreamDelayMs: number;
  /** The first bytes of the answer's body reached the service worker. */
  swFirstChunk?: number;
  /** The panel's port delivered the first words (the 'turn' event that makes the turn 'streaming'). */
  panelMessage?: number;
  /** The panel's log showed the first answer text. */
  panelText?: number;
  /** The next animation frame after it. */
  painted: number;
}

interface SwMarks { swAsk: number[]; frames: Array<{ at: number; capturedAt: number; encodeMs: number }>; fetches: Array<{ start: number; bytes: number; firstChunk?: number }> }

/**
 * Installs the service-worker listeners. Call before the panel connects (or reload it after): the panel's
 * port is seen only when it opens after this.
 */
export async function installTimeline(chrome: ChromeHarness): Promise<void> {
  const sw = await chrome.serviceWorker();
  await sw.evaluate(() => {
    type Msg = { type?: string; rpc?: string; reply?: { ok?: boolean; frame?: { capturedAt: number; encodeMs: number } } };
    type Port = { name: string; onMessage: { addListener(f: (m: Msg) => void): void } };
    const g = globalThis as unknown as {
      __timeline: SwMarks;
      fetch: typeof fetch;
      chrome: { runtime: { onConnect: { addListener(f: (p: Port) => void): void } } };
    };
    type SwMarks = { swAsk: number[]; frames: Array<{ at: number; capturedAt: number; encodeMs: number }>; fetches: Array<{ start: number; bytes: number; firstChunk?: number }> };
    const now = () => performance.timeOrigin + performance.now();
    const marks: SwMarks = { swAsk: [], frames: [], fetches: [] };
    g.__timeline = marks;
    g.chrome.runtime.onConnect.addListener((port) => {
      port.onMessage.addListener((m) => {
        if (port.name === 'sightline-panel' && m.type === 'ask') marks.swAsk.push(now());
        if (port.name === 'sightline-capture' && m.rpc === 'reply' && m.reply?.frame) {
          marks.frames.push({ at: now(), capturedAt: m.reply.frame.capturedAt, encodeMs: m.reply.frame.encodeMs });
        }
      });
    });
    const original = g.fetch.bind(globalThis);
    g.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if (!url.includes(':streamGenerateContent')) return original(input, init);
      const body = init?.body;
      const entry: SwMarks['fetches'][number] = { start: now(), bytes: typeof body === 'string' ? new TextEncoder().encode(body).length : 0 };
      marks.fetches.push(entry);
      const res = await original(input, init);
      if (!res.body) return res;
      const seen = res.body.pipeThrough(
        new TransformStream({
          transform(chunk, ctl) {
            entry.firstChunk ??= now();
            ctl.enqueue(chunk);
          },
        }),
      );
      return new Response(seen, { status: res.status, statusText: res.statusText, headers: res.headers });
    };
  });
}

/**
 * Taps the panel's port (before its page loads; applies from the next reload): the time the first words of each
 * answer arrive, kept in `__firstWords` (epoch ms).
 */
export async function tapPanelPort(panel: Page): Promise<void> {
  await panel.addInitScript(() => {
    type Listener = (m: { type?: string; turn?: { status?: string } }) => void;
    type PortLike = { onMessage: { addListener(l: Listener): void } };
    const g = globalThis as unknown as { __firstWords: number[]; chrome: { runtime: { connect(info: unknown): PortLike } } };
    g.__firstWords = [];
    const connect = g.chrome.runtime.connect.bind(g.chrome.runtime);
    g.chrome.runtime.connect = (info: unknown) => {
      const port = connect(info);
      port.onMessage.addListener((m) => {
        if (m.type === 'turn' && m.turn?.status === 'streaming') g.__firstWords.push(performance.timeOrigin + performance.now());
      });
      return port;
    };
  });
}

/** The service worker's marks of the last question, consumed. */
export async function takeSwMarks(chrome: ChromeHarness): Promise<SwMarks> {
  const sw = await chrome.serviceWorker();
  return sw.evaluate(() => {
    const g = globalThis as unknown as { __timeline: SwMarks };
    type SwMarks = { swAsk: number[]; frames: Array<{ at: number; capturedAt: number; encodeMs: number }>; fetches: Array<{ start: number; bytes: number; firstChunk?: number }> };
    const out = { swAsk: g.__timeline.swAsk.splice(0), frames: g.__timeline.frames.splice(0), fetches: g.__timeline.fetches.splice(0) };
    return out;
  });
}

/**
 * Presses Enter in the ask box (the question already typed) and resolves with the panel's marks: keydown,
 * first answer text in the log, and the animation frame after it.
 */
export async function pressEnterTimed(panel: Page): Promise<{ keydown: number; panelMessage?: number; panelText: number; painted: number }> {
  return panel.evaluate(
    () =>
      new Promise<{ keydown: number; panelMessage?: number; panelText: number; painted: number }>((resolve) => {
        const now = () => performance.timeOrigin + performance.now();
        const log = document.querySelector('[role=log]')!;
        const box = document.querySelector('#ask-input')!;
        const before = log.querySelectorAll('article').length;
        let keydown = 0;
        (globalThis as unknown as { __firstWords?: number[] }).__firstWords?.splice(0);
        const obs = new MutationObserver(() => {
          const text = log.querySelectorAll('article')[before]?.querySelector('.answer')?.textContent ?? '';
          if (text.trim().length > 0) {
            obs.disconnect();
            const panelText = now();
            const panelMessage = (globalThis as unknown as { __firstWords?: number[] }).__firstWords?.[0];
            requestAnimationFrame(() => resolve({ keydown, panelMessage, panelText, painted: now() }));
          }
        });
        obs.observe(log, { subtree: true, childList: true, characterData: true });
        keydown = now();
        box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      }),
  );
}

/** Records when the proxy's server receives each model request (epoch ms), for joinMarks. */
export function watchProxy(server: { on(event: 'request', listener: (req: { url?: string; method?: string }) => void): unknown }): number[] & { preflights: number } {
  const seen = Object.assign([] as number[], { preflights: 0 });
  server.on('request', (req) => {
    if (!req.url?.includes(':streamGenerateContent')) return;
    // A CORS preflight (OPTIONS) comes first when the browser has none cached: counted, and its time is not the request's.
    if (req.method === 'OPTIONS') seen.preflights++;
    else seen.push(performance.timeOrigin + performance.now());
  });
  return seen;
}

/** Joins one question's marks from the panel, the service worker and the stand-in. */
export function joinMarks(
  panel: { keydown: number; panelMessage?: number; panelText: number; painted: number },
  sw: SwMarks,
  upstreamReceived: number | undefined,
  upstreamDelayMs: number,
  proxyReceived?: number,
): AskMarks {
  const frame = sw.frames.at(-1);
  const fetch = sw.fetches.at(-1);
  return {
    ...panel,
    swAsk: sw.swAsk.at(-1),
    grabStart: frame?.capturedAt,
    swFrame: frame?.at,
    encodeMs: frame?.encodeMs,
    fetchStart: fetch?.start,
    requestBytes: fetch?.bytes,
    proxyReceived,
    upstreamReceived,
    upstreamDelayMs,
    swFirstChunk: fetch?.firstChunk,
  };
}

/** The p50 of each step over all questions, as lines to print (ms; the upstream's own delay left out). */
export function timelineLines(all: AskMarks[], about: string): string[] {
  const step = (name: string, f: (m: AskMarks) => number | undefined) => {
    const values = all.map(f).filter((v): v is number => v !== undefined && Number.isFinite(v));
    const p50 = percentile(values, 50);
    return `    ${name.padEnd(58)} ${Number.isFinite(p50) ? p50.toFixed(1).padStart(7) : '    n/a'} ms   (p95 ${percentile(values, 95).toFixed(1)})`;
  };
  const d = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? b - a : undefined);
  return [
    `  timeline of a question about ${about}, p50 of each step (epoch clocks of each context):`,
    step('keydown -> service worker has the ask (panel port)', (m) => d(m.keydown, m.swAsk)),
    step('ask -> offscreen starts the frame (settings, queue, grab call)', (m) => d(m.swAsk, m.grabStart)),
    step('frame start -> frame at the service worker (capture + port)', (m) => d(m.grabStart, m.swFrame)),
    step('  of which the Worker encode', (m) => m.encodeMs),
    step('frame at the service worker -> fetch (save, request, SDK)', (m) => d(m.swFrame, m.fetchStart)),
    step('fetch -> stand-in has the whole request (proxy, upload)', (m) => d(m.fetchStart, m.upstreamReceived)),
    step('  of which fetch -> the proxy has its headers (browser)', (m) => d(m.fetchStart, m.proxyReceived)),
    step('  request size (KB, not ms)', (m) => (m.requestBytes !== undefined ? m.requestBytes / 1024 : undefined)),
    step('stand-in first event -> bytes at the service worker', (m) => d(m.upstreamReceived !== undefined ? m.upstreamReceived + m.upstreamDelayMs : undefined, m.swFirstChunk)),
    step('first bytes -> text in the panel (SDK, queue, port, render)', (m) => d(m.swFirstChunk, m.panelText)),
    step('  of which first bytes -> the panel has the words (SDK, queue, port)', (m) => d(m.swFirstChunk, m.panelMessage)),
    step('text -> painted (next animation frame)', (m) => d(m.panelText, m.painted)),
  ];
}
