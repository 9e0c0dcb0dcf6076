/**
 * OCR for text-only models in real Firefox ESR: the extension's own tesseract files (worker, WebAssembly core,
 * English data under /ocr/) read a JPEG of known text inside an extension page, under the extension's CSP
 * ('wasm-unsafe-eval'). Nothing comes from elsewhere: the page fetched nothing off the extension, and the Worker's
 * own fetches (core, data) could not have reached tesseract's default CDN from this machine (no network but npm's). Firefox runs it in the event page or the sidebar
 * (lib/capture/background/firefox-backend.ts, lib/capture/page/capture-host.ts); the page here is the panel, which
 * loads the same chunk as the sidebar. Chrome's whole path (offscreen document, the stand-in server, the log) is
 * tests/e2e/chrome-own-server.test.ts.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { FIREFOX_BUILD, launchFirefox, type FirefoxHarness } from '../support/firefox.ts';

let firefox: FirefoxHarness;
let panel: Page;

beforeAll(async () => {
  firefox = await launchFirefox();
  panel = await firefox.openPanel();
});

afterAll(async () => {
  await firefox?.close();
});

describe('OCR in Firefox', () => {
  it("reads a frame's text with the files bundled in the extension", async () => {
    const chunk = readdirSync(join(FIREFOX_BUILD, 'chunks')).find((f) => /^ocr-.*\.js$/.test(f));
    expect(chunk, 'the lazily loaded OCR chunk').toBeDefined();
    // As a string: vitest would rewrite a dynamic import() inside a function it transforms.
    const result = (await panel.evaluate(`(async () => {
      const canvas = new OffscreenCanvas(960, 300);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, 960, 300);
      ctx.fillStyle = '#000';
      ctx.font = '48px sans-serif';
      ctx.fillText('INVOICE 4217', 40, 110);
      ctx.fillText('TOTAL DUE MARCH', 40, 200);
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.6 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = '';
      for (const b of bytes) binary += String.fromCharCode(b);
      const started = performance.now();
      const ocr = await import('/chunks/${chunk}');
      const text = await ocr.readScreenText(btoa(binary));
      const firstMs = performance.now() - started;
      const again = performance.now();
      await ocr.readScreenText(btoa(binary));
      const secondMs = performance.now() - again;
      const fetched = performance.getEntriesByType('resource').map((e) => e.name).filter((u) => !u.startsWith(location.origin));
      return { text, firstMs, secondMs, fetched };
    })()`)) as { text: string; firstMs: number; secondMs: number; fetched: string[] };
    console.log(`Firefox OCR: first read ${Math.round(result.firstMs)} ms (tesseract starts), second ${Math.round(result.secondMs)} ms`);
    expect(result.text).toMatch(/INVOICE 4217/);
    expect(result.text).toMatch(/TOTAL DUE MARCH/);
    expect(result.fetched).toEqual([]);
  });
});
