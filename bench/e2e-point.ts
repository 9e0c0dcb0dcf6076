/**
 * bench:e2e's figures for issue 14: what pointing at a region adds to a question (ask -> request at the upstream,
 * region vs plain, alternated on the same shared tab), and the memory the tab's last minute of sound takes in the
 * ring (the extension's recorder settings, Chromium's own Opus, lib/core/audio/ring.ts), against raw PCM.
 */
import type { Page } from 'playwright-core';
import type { Stack } from '../tests/support/stack.ts';
import { percentile, type Row } from './stats.ts';
import { AudioRing, SOUND_WINDOW_MS } from '../lib/core/audio/ring.ts';
import { RECORDER_BITS_PER_SECOND, RECORDER_TYPE, SLICE_MS } from '../lib/capture/page/tab-audio.ts';

const isGenerate = (r: { path: string }) => r.path.includes(':streamGenerateContent');

/**
 * Asks `rounds` plain and `rounds` region questions, alternating, through the panel's own port (the command the
 * Point view sends); for each, ms from posting the command to the upstream receiving the request.
 */
export async function regionOverhead(panel: Page, stack: Stack, rounds: number): Promise<{ plain: number[]; region: number[] }> {
  const out = { plain: [] as number[], region: [] as number[] };
  await panel.evaluate(() => {
    const g = globalThis as unknown as { __askPort?: { postMessage(m: unknown): void }; chrome: { runtime: { connect(o: { name: string }): { postMessage(m: unknown): void } } } };
    g.__askPort = g.chrome.runtime.connect({ name: 'sightline-panel' });
  });
  for (let i = 0; i < rounds * 2; i++) {
    const withRegion = i % 2 === 1;
    const before = stack.gemini.requests.filter(isGenerate).length;
    await panel.waitForTimeout(300 + ((i * 137) % 300));
    const sentAt = await panel.evaluate((withRegion) => {
      const port = (globalThis as unknown as { __askPort: { postMessage(m: unknown): void } }).__askPort;
      const at = Date.now();
      port.postMessage({ type: 'ask', text: `Overhead ${withRegion ? 'region' : 'plain'}`, ...(withRegion ? { region: { x: 0.55, y: 0.1, w: 0.3, h: 0.3 } } : {}) });
      return at;
    }, withRegion);
    const req = await stack.gemini.waitForRequest((r) => isGenerate(r) && stack.gemini.requests.filter(isGenerate).indexOf(r) >= before, 15_000);
    (withRegion ? out.region : out.plain).push(req.receivedAt - sentAt);
    // The answer is short: let it end before the next question.
    await panel.waitForTimeout(400);
  }
  return out;
}

/**
 * Records `seconds` of a tone in `page` with the extension's recorder settings and feeds the pieces to the ring;
 * the bytes the ring holds for its minute, and the sound it covers.
 */
export async function audioWindowMemory(page: Page, seconds: number): Promise<{ bytes: number; durationMs: number; pcmBytes: number }> {
  const pieces = await page.evaluate(
    async ({ seconds, type, bits, slice }) => {
      const ctx = new AudioContext();
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      // A voice-like sound: a tone whose pitch and loudness move, so the encoder has something to encode.
      osc.frequency.setValueAtTime(220, ctx.currentTime);
      for (let t = 0; t < seconds; t += 0.5) osc.frequency.linearRampToValueAtTime(180 + ((t * 97) % 240), ctx.currentTime + t);
      osc.connect(gain);
      const dest = ctx.createMediaStreamDestination();
      gain.connect(dest);
      osc.start();
      await ctx.resume();
      const rec = new MediaRecorder(dest.stream, { mimeType: type, audioBitsPerSecond: bits });
      const chunks: string[] = [];
      rec.ondataavailable = async (e) => {
        const b = new Uint8Array(await e.data.arrayBuffer());
        let s = '';
        for (const x of b) s += String.fromCharCode(x);
        chunks.push(btoa(s));
      };
      rec.start(slice);
      await new Promise((r) => setTimeout(r, seconds * 1000));
      await new Promise((r) => { rec.onstop = r; rec.stop(); });
      await new Promise((r) => setTimeout(r, 200));
      await ctx.close();
      return chunks;
    },
    { seconds, type: RECORDER_TYPE, bits: RECORDER_BITS_PER_SECOND, slice: SLICE_MS },
  );
  const ring = new AudioRing();
  for (const p of pieces) ring.push(new Uint8Array(Buffer.from(p, 'base64')));
  const window = ring.window();
  return { bytes: ring.bytes, durationMs: window?.durationMs ?? 0, pcmBytes: (SOUND_WINDOW_MS / 1000) * 16_000 * 2 };
}

/** Most a region may add to a question (ms): the crop is one more grab and encode of the same video frame. */
export const REGION_OVERHEAD_TARGET_MS = 150;
/** Most the minute of sound may hold (bytes): 32 kbit/s Opus is 240 kB, with room for container overhead. */
export const AUDIO_WINDOW_TARGET_BYTES = 300 * 1024;

/** Shares `tab`, measures both figures, stops sharing; the two rows for bench:e2e's table. */
export async function pointRows(share: () => Promise<void>, stop: () => Promise<void>, panel: Page, tab: Page, stack: Stack, step: (what: string) => void): Promise<Row[]> {
  step('region questions against plain ones');
  await share();
  await panel.waitForTimeout(1500);
  const o = await regionOverhead(panel, stack, 10);
  await stop();
  step('a minute of sound through the ring (62 s)');
  const audio = await audioWindowMemory(tab, 62);
  const added = percentile(o.region, 50) - percentile(o.plain, 50);
  return [
    {
      figure: `region question overhead, p50 (${o.region.length}+${o.plain.length} asks)`,
      value: added,
      unit: 'ms',
      target: `<= ${REGION_OVERHEAD_TARGET_MS} ms`,
      ok: added <= REGION_OVERHEAD_TARGET_MS,
      baseline: `plain question, ask -> upstream p50: ${percentile(o.plain, 50).toFixed(1)} ms (region ${percentile(o.region, 50).toFixed(1)} ms)`,
    },
    {
      figure: `audio window memory (${(audio.durationMs / 1000).toFixed(1)} s held)`,
      value: audio.bytes / 1024,
      unit: 'KB',
      target: `<= ${AUDIO_WINDOW_TARGET_BYTES / 1024} KB`,
      ok: audio.bytes <= AUDIO_WINDOW_TARGET_BYTES && audio.durationMs >= 58_000,
      baseline: `16 kHz PCM for 60 s: ${(audio.pcmBytes / 1024).toFixed(0)} KB`,
    },
  ];
}
