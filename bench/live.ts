/**
 * npm run bench:live — Live mode's figures, each beside its target and a baseline measured in the same run.
 *
 * 1. A 60-minute conversation on a virtual clock (bench/live-virtual.ts): the product's session driver against
 *    the simulated Live server, a goAway every 10 minutes and three 1011s: transcript lines and microphone audio
 *    lost, and the size of each connection's `setup` (flat over the hour; the baseline re-sends the conversation).
 * 2. Headless Chromium with the built extension, the stand-in Live server behind the real proxy, the fake
 *    microphone playing seeded noise (so every 40 ms chunk is recognisable by its first bytes). Times come from
 *    one wall clock: the offscreen document's (`performance.timeOrigin + now()`, recorded by tests/support/live-probe.ts)
 *    and the stand-in's (the same expression in Node, on the same machine).
 *    - microphone chunk -> socket: the worklet hands a finished 40 ms chunk to the page -> the stand-in Live server
 *      receives it through the proxy. Baseline: the same page sending a message of the same size on a bare
 *      WebSocket to a Node server (no SDK, no proxy).
 *    - first audio chunk received -> playing: the page's socket receives the first audio message of an answer ->
 *      the context time its first sample is scheduled at is reached (the player's lead included). Also shown:
 *      the same to audible, through `getOutputTimestamp` (the output device's own latency, which no player can
 *      avoid, is in both it and its baseline). Baseline: a bare WebSocket message played by a bare
 *      AudioContext on arrival.
 *    - reconnect gap on goAway: the stand-in's last audio on the old connection -> first audio on the new one,
 *      and every microphone chunk of the switch found at the stand-in. Baseline: the official SDK in Node opening
 *      a Live session through the same proxy (`ai.live.connect` until `setupComplete`).
 * 3. The same three paths in Firefox ESR (bench/live-firefox.ts), beside Chromium's figures of the run.
 *    BENCH_LIVE_FIREFOX=0 leaves it out.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { GoogleGenAI } from '@google/genai';
import setup from '../tests/e2e/global-setup.ts';
import { launchChromium, type ChromeHarness } from '../tests/support/chromium.ts';
import { startColorSite, startStack, TEST_TOKEN } from '../tests/support/stack.ts';
import { configurePanel } from '../tests/support/panel.ts';
import { writeNoiseWav } from '../tests/support/wav.ts';
import type { LiveConnection } from '../tests/support/fake-live.ts';
import { percentile, printTable, type Row } from './stats.ts';
import { probeOffscreen, type PageProbe } from '../tests/support/live-probe.ts';
import { runHour } from './live-virtual.ts';
import { firefoxFigures } from './live-firefox.ts';

const ANSWERS = 20;
const GOAWAYS = 6;
const wall = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const step = (what: string) => process.stderr.write(`  · ${what}\n`);
const f1 = (v: number) => v.toFixed(1);

interface WsServer { clients: Set<{ send(d: Buffer): void }>; on(e: string, f: (...a: never[]) => void): void; close(): void; address(): AddressInfo }
const { WebSocketServer } = createRequire(import.meta.url)('ws') as { WebSocketServer: new (o: { port: number; host: string }) => WsServer };

/** A bare WebSocket server in Node: records when each message arrives; `blast` sends binary messages. */
async function bareServer() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.on('listening', r as never));
  const arrivals: { at: number; text: string }[] = [];
  wss.on('connection', ((ws: { on(e: string, f: (d: Buffer) => void): void }) => {
    ws.on('message', (d) => arrivals.push({ at: wall(), text: d.toString('utf8') }));
  }) as never);
  return { url: `ws://127.0.0.1:${wss.address().port}`, arrivals, wss };
}

/** Page side of the chunk baseline: sends `n` audio-shaped JSON messages 40 ms apart; their send times by id. */
function pageSendBare(url: string, n: number, bytes: number): Promise<{ id: number; at: number }[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const out: { id: number; at: number }[] = [];
    const data = 'A'.repeat(Math.ceil(bytes / 3) * 4);
    ws.onerror = () => reject(new Error('bare socket failed'));
    ws.onopen = () => {
      let id = 0;
      const tick = () => {
        if (id === n) { setTimeout(() => { ws.close(); resolve(out); }, 200); return; }
        const msg = JSON.stringify({ realtimeInput: { audio: { data: `${id}:${data}`, mimeType: 'audio/pcm;rate=16000' } } });
        out.push({ id, at: performance.timeOrigin + performance.now() });
        ws.send(msg);
        id++;
        setTimeout(tick, 40);
      };
      tick();
    };
  });
}

/** Page side of the playback baseline: plays each binary message at once on a bare AudioContext. */
function pagePlayBare(url: string, n: number): Promise<{ starts: number; audible: number }[]> {
  return new Promise((resolve, reject) => {
    const ctx = new AudioContext({ latencyHint: 'interactive' });
    void ctx.resume();
    const ws = new WebSocket(url);
    // As Sightline's own Live socket receives (lib/live/ordered-socket.ts), whatever this page's WebSocket is.
    ws.binaryType = 'arraybuffer';
    const out: { starts: number; audible: number }[] = [];
    ws.onerror = () => reject(new Error('bare socket failed'));
    ws.onmessage = (e: MessageEvent<ArrayBuffer>) => {
      const at = performance.timeOrigin + performance.now();
      const buffer = ctx.createBuffer(1, Math.round(e.data.byteLength / 2), 24000);
      const src = ctx.createBufferSource();
      src.buffer = buffer;
      src.connect(ctx.destination);
      src.start(0);
      const ts = ctx.getOutputTimestamp();
      const audible = ts.performanceTime && ts.contextTime !== undefined
        ? performance.timeOrigin + ts.performanceTime + (ctx.currentTime - ts.contextTime) * 1000
        : at + (ctx.baseLatency + (ctx.outputLatency || 0)) * 1000;
      out.push({ starts: performance.timeOrigin + performance.now() - at, audible: audible - at });
      if (out.length === n) { ws.close(); void ctx.close(); resolve(out); }
    };
  });
}

/** The SDK in Node opening a Live session through the proxy, `n` times: ms until `setupComplete`. */
async function sdkConnectBaseline(proxyUrl: string, n: number): Promise<number[]> {
  const ai = new GoogleGenAI({ apiKey: TEST_TOKEN, httpOptions: { baseUrl: proxyUrl, apiVersion: 'v1beta' } });
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const s = await ai.live.connect({ model: 'gemini-live-2.5-flash-preview', config: {}, callbacks: { onmessage: () => {} } });
    out.push(performance.now() - t0);
    s.close();
    await sleep(100);
  }
  return out;
}

/** Matches the stand-in's audio to the page's chunks by their first bytes: chunk -> arrival (ms). */
function chunkLatencies(chunks: { at: number; key: string }[], arrivals: { at: number; head: string }[]): number[] {
  const out: number[] = [];
  for (const a of arrivals) {
    const from = chunks.filter((c) => c.key === a.head && c.at <= a.at).at(-1);
    if (from) out.push(a.at - from.at);
  }
  return out;
}

async function browserFigures(): Promise<Row[]> {
  const wav = join(mkdtempSync(join(tmpdir(), 'sightline-bench-live-')), 'noise.wav');
  writeNoiseWav(wav);
  const stack = await startStack({}, { live: true });
  const live = stack.live!;
  const site = await startColorSite();
  const bare = await bareServer();
  let chrome: ChromeHarness | undefined;
  try {
    chrome = await launchChromium({ audioFile: wav });
    await chrome.context.grantPermissions(['microphone']);
    await chrome.serviceWorker();
    const tab = await chrome.context.newPage();
    await tab.goto(`${site.url}?c=rgb(30,90,160)`);
    const panel = await chrome.openPanel();
    await configurePanel(panel, stack.proxy.url, TEST_TOKEN);
    await tab.bringToFront();
    await chrome.clickToolbarButton(tab);
    await panel.getByRole('button', { name: 'Share this tab' }).click();
    await panel.getByRole('button', { name: 'Stop sharing' }).waitFor({ timeout: 15_000 });
    const probe: PageProbe = await probeOffscreen(chrome);

    step('Start talking');
    await panel.getByRole('button', { name: 'Start talking' }).click();
    let conn: LiveConnection = await live.connection(1, 15_000);
    await conn.waitFor((c) => c.audio.length >= 25, 15_000);
    await probe.take();
    const from = conn.audio.length;
    await sleep(8000);
    const mic = await probe.take();
    const micLat = chunkLatencies(mic.chunks, conn.audio.slice(from));
    const sendLat = chunkLatencies(mic.sends, conn.audio.slice(from));

    step(`${ANSWERS} spoken answers`);
    const toStart: number[] = [];
    const toAudible: number[] = [];
    for (let i = 0; i < ANSWERS; i++) {
      // Cleared just before the answer: everything recorded next is this answer's (no comparison across clocks).
      await probe.take();
      await conn.answer({ text: `Answer ${i}.`, chunks: 3, delayMs: 20 });
      await sleep(1000); // the answer (300 ms of audio) has played out: the next one starts on an empty queue
      const rec = await probe.take();
      const first = rec.recv.find((r) => r.bytes > 3000);
      const played = first && rec.starts.find((s) => s.at >= first.at);
      if (first && played) { toStart.push(played.startsAt - first.at); toAudible.push(played.audibleAt - first.at); }
    }

    step(`${GOAWAYS} goAways`);
    const gaps: number[] = [];
    let lost = 0;
    let switchChunks = 0;
    for (let i = 0; i < GOAWAYS; i++) {
      await probe.take();
      const before = conn;
      const t = wall();
      before.goAway(2000);
      conn = await live.connection(before.id + 1, 10_000);
      await conn.waitFor((c) => c.audio.length >= 25, 10_000);
      await sleep(300);
      const rec = await probe.take();
      const lastOld = before.audio.filter((a) => a.at < conn.audio[0]!.at).at(-1)!;
      gaps.push(conn.audio[0]!.at - lastOld.at);
      // Every chunk the page handed on between 1 s before the goAway and 0.5 s after the new connection's first audio arrived.
      const heard = new Set([...before.audio, ...conn.audio].map((a) => a.head));
      const window = rec.chunks.filter((c) => c.at >= t - 1000 && c.at <= conn.audio[0]!.at + 500);
      switchChunks += window.length;
      lost += window.filter((c) => !heard.has(c.key)).length;
      await sleep(1000);
    }
    await panel.getByRole('button', { name: 'End conversation' }).click();

    step('baselines');
    const sent = await probe.run(pageSendBare, bare.url, 150, 1280);
    const bareLat = sent.map((s) => {
      const got = bare.arrivals.find((a) => a.text.includes(`"data":"${s.id}:`));
      return got ? got.at - s.at : NaN;
    }).filter(Number.isFinite);
    bare.wss.on('connection', ((ws: { send(d: Buffer): void }) => {
      let k = 0;
      const timer = setInterval(() => { ws.send(Buffer.alloc(4800)); if (++k === ANSWERS) clearInterval(timer); }, 150);
    }) as never);
    const barePlay = await probe.run(pagePlayBare, bare.url, ANSWERS);
    const sdkConnect = await sdkConnectBaseline(stack.proxy.url, GOAWAYS);

    return [
      { figure: `mic chunk -> stand-in via proxy, p50 (${micLat.length})`, value: percentile(micLat, 50), unit: 'ms', target: '<= 40 ms', ok: percentile(micLat, 50) <= 40, baseline: `bare WebSocket send -> Node: ${f1(percentile(bareLat, 50))} ms` },
      { figure: 'mic chunk -> stand-in via proxy, p95', value: percentile(micLat, 95), unit: 'ms', target: '(info)', ok: true },
      { figure: 'page ws.send -> stand-in via proxy, p50', value: percentile(sendLat, 50), unit: 'ms', target: '(info)', ok: true },
      { figure: `first answer audio received -> playing, p50 (${toStart.length})`, value: percentile(toStart, 50), unit: 'ms', target: '<= 20 ms', ok: percentile(toStart, 50) <= 20, baseline: `bare socket + AudioContext: ${f1(percentile(barePlay.map((b) => b.starts), 50))} ms` },
      { figure: 'first answer audio received -> playing, p95', value: percentile(toStart, 95), unit: 'ms', target: '(info)', ok: true },
      { figure: '... -> audible, with the output device latency, p50', value: percentile(toAudible, 50), unit: 'ms', target: '(info)', ok: true, baseline: `bare: ${f1(percentile(barePlay.map((b) => b.audible), 50))} ms` },
      { figure: `reconnect gap on goAway, p50 (${gaps.length})`, value: percentile(gaps, 50), unit: 'ms', target: '<= 300 ms', ok: percentile(gaps, 50) <= 300, baseline: `SDK connect via proxy from Node: ${f1(percentile(sdkConnect, 50))} ms` },
      { figure: 'reconnect gap on goAway, max', value: Math.max(...gaps), unit: 'ms', target: '(info)', ok: true },
      { figure: `mic chunks lost across the goAways (of ${switchChunks})`, value: lost, unit: 'chunks', target: '0', ok: lost === 0 && switchChunks > 0 },
    ];
  } finally {
    await chrome?.close();
    bare.wss.close();
    await site.close();
    await stack.close();
  }
}

async function main(): Promise<void> {
  step('60 minutes on a virtual clock');
  const hour = await runHour();
  const setupGrowth = Math.max(...hour.setupBytes) - hour.setupBytes[0]!;
  const replay = hour.openAudioMs.slice(1);
  const perMinute = hour.audioMsPerMinute;
  const virtualRows: Row[] = [
    { figure: `transcript lines lost (${hour.utterances} utterances + answers)`, value: hour.lostUserLines + hour.lostAnswers, unit: 'lines', target: '0', ok: hour.lostUserLines + hour.lostAnswers === 0, baseline: `${hour.cutAnswers} answers cut by a 1011 kept, marked cut, and answered again` },
    { figure: 'microphone audio lost', value: hour.lostChunks * 40 + hour.droppedMs, unit: 'ms', target: '0', ok: hour.lostChunks === 0 && hour.droppedMs === 0 },
    { figure: `connections (${hour.goAways} goAway switches, ${hour.drops} drops, ${hour.freshSessions} fresh)`, value: hour.connections, unit: '', target: '(info)', ok: true },
    { figure: 'setup size, first connection', value: hour.setupBytes[0]!, unit: 'B', target: '(info)', ok: true, baseline: `re-sending the conversation: ${hour.naiveSetupBytes[0]} B` },
    { figure: 'setup size growth over the hour', value: setupGrowth, unit: 'B', target: '<= 64 B (flat)', ok: setupGrowth <= 64, baseline: `re-sending the conversation: +${Math.max(...hour.naiveSetupBytes) - hour.naiveSetupBytes[0]!} B by minute 60` },
    { figure: 'audio sent at once on reconnecting, max', value: Math.max(...replay) / 1000, unit: 's', target: '<= 30 s (bounded)', ok: Math.max(...replay) <= 30_000, baseline: `p50 ${f1(percentile(replay, 50) / 1000)} s (goAway switches)` },
    { figure: 'audio sent per minute of talk, max', value: Math.max(...perMinute) / 1000, unit: 's', target: '(info)', ok: true, baseline: `min ${f1(Math.min(...perMinute) / 1000)} s` },
  ];
  printTable(`bench:live — 60 minutes on a virtual clock (${f1(hour.wallMs)} ms of real time)`, virtualRows);

  setup();
  const rows = await browserFigures();
  printTable(`bench:live — headless Chromium, real extension, real proxy, stand-in Live server (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`, rows);

  if (process.env.BENCH_LIVE_FIREFOX === '0') return;
  step('Firefox ESR');
  const ff = await firefoxFigures(ANSWERS, GOAWAYS);
  const chromeRow = (name: string) => rows.find((r) => r.figure.startsWith(name))!.value;
  printTable(`bench:live — headless Firefox ESR, the panel page holding the socket (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`, [
    { figure: `mic chunk -> stand-in via proxy, p50 (${ff.micToServer.length})`, value: percentile(ff.micToServer, 50), unit: 'ms', target: '<= 40 ms', ok: percentile(ff.micToServer, 50) <= 40, baseline: `Chromium, same run: ${f1(chromeRow('mic chunk -> stand-in via proxy, p50'))} ms` },
    { figure: 'mic chunk -> stand-in via proxy, p95', value: percentile(ff.micToServer, 95), unit: 'ms', target: '(info)', ok: true },
    { figure: `first answer audio received -> playing, p50 (${ff.toPlaying.length})`, value: percentile(ff.toPlaying, 50), unit: 'ms', target: '<= 20 ms', ok: percentile(ff.toPlaying, 50) <= 20, baseline: `Chromium, same run: ${f1(chromeRow('first answer audio received -> playing, p50'))} ms` },
    { figure: 'first answer audio received -> playing, p95', value: percentile(ff.toPlaying, 95), unit: 'ms', target: '(info)', ok: true },
    { figure: '... of which socket -> scheduled, p50', value: percentile(ff.toScheduled, 50), unit: 'ms', target: '(info)', ok: true },
    { figure: '... of which the wait in the context, p95', value: percentile(ff.lead, 95), unit: 'ms', target: '(info)', ok: true, baseline: 'the player lead (the context base latency)' },
    { figure: `reconnect gap on goAway, p50 (${ff.gaps.length})`, value: percentile(ff.gaps, 50), unit: 'ms', target: '<= 300 ms', ok: percentile(ff.gaps, 50) <= 300, baseline: `Chromium, same run: ${f1(chromeRow('reconnect gap on goAway, p50'))} ms` },
  ]);
}

await main();
