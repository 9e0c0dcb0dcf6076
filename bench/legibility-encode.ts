/**
 * Encoder settings tried on the very pixels Sightline captures: inside the running extension's offscreen document
 * (reached through the DevTools protocol), from the <video> that shows the shared tab. JPEG settings run through
 * the extension's own encode Worker (the built file, its rpc protocol), so size, bytes and encode time are the
 * product's; WebP and sharpening, which that Worker does not do, run on the offscreen document's main thread,
 * and their times are marked as such (main-thread encodes are slower than the Worker's: platform facts).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChromeHarness } from '../tests/support/chromium.ts';
import { CHROME_BUILD } from '../tests/support/chromium.ts';

export interface Variant {
  /** Longest side of the frame (px). */
  maxSide: number;
  format: 'jpeg' | 'webp';
  /** 0..1 */
  quality: number;
  /** Unsharp-mask amount after scaling (0: none). */
  sharpen: number;
}

export interface Encoded {
  variant: Variant;
  /** Base64 image. */
  data: string;
  bytes: number;
  /** Encode time (ms): the Worker's own figure, or the main thread's. */
  ms: number;
  where: 'worker' | 'page';
  width: number;
  height: number;
}

export const label = (v: Variant) => `${v.format} ${v.maxSide}px q${v.quality}${v.sharpen ? ` sharpen ${v.sharpen}` : ''}`;

/** The built encode Worker's address inside the extension. */
function workerUrl(chrome: ChromeHarness): string {
  const file = readdirSync(join(CHROME_BUILD, 'assets')).find((f) => f.startsWith('encode-worker-') && f.endsWith('.js'));
  if (!file) throw new Error(`no encode-worker-*.js in ${CHROME_BUILD}/assets`);
  return `chrome-extension://${chrome.extensionId}/assets/${file}`;
}

/** Runs in the offscreen document: encodes the <video>'s current picture with each variant. */
async function sweep(variants: Variant[], url: string): Promise<Encoded[]> {
  const video = document.querySelector('video')!;
  const worker = new Worker(url, { type: 'module' });
  let id = 0;
  const call = (request: Record<string, unknown>, transfer: Transferable[]) =>
    new Promise<{ data: string; encodeMs: number; width: number; height: number }>((resolve, reject) => {
      const mine = ++id;
      const onMessage = (ev: MessageEvent) => {
        const m = ev.data as { rpc: string; id: number; reply?: { data: string; encodeMs: number; width: number; height: number }; error?: string };
        if (m.id !== mine) return;
        worker.removeEventListener('message', onMessage);
        if (m.rpc === 'reply' && m.reply) resolve(m.reply);
        else reject(new Error(m.error ?? 'encode failed'));
      };
      worker.addEventListener('message', onMessage);
      worker.postMessage({ rpc: 'call', id: mine, name: 'encode', request }, transfer);
    });
  const fit = (max: number) => {
    const s = Math.min(1, max / Math.max(video.videoWidth, video.videoHeight));
    return { width: Math.round(video.videoWidth * s), height: Math.round(video.videoHeight * s) };
  };
  const sharpened = (ctx: OffscreenCanvasRenderingContext2D, w: number, h: number, amount: number) => {
    const img = ctx.getImageData(0, 0, w, h);
    const src = new Uint8ClampedArray(img.data);
    const d = img.data;
    for (let y = 1; y < h - 1; y++) {
      for (let x = 1; x < w - 1; x++) {
        for (let c = 0; c < 3; c++) {
          const i = (y * w + x) * 4 + c;
          const blur = (src[i - 4]! + src[i + 4]! + src[i - w * 4]! + src[i + w * 4]! + 4 * src[i]!) / 8;
          d[i] = src[i]! + amount * (src[i]! - blur);
        }
      }
    }
    ctx.putImageData(img, 0, 0);
  };
  const out: Encoded[] = [];
  for (const v of variants) {
    const size = fit(v.maxSide);
    if (v.format === 'jpeg' && v.sharpen === 0) {
      const frame = new VideoFrame(video);
      const r = await call({ bitmap: frame, ...size, quality: v.quality, sourceWidth: video.videoWidth, sourceHeight: video.videoHeight, mode: 'force' }, [frame]);
      out.push({ variant: v, data: r.data, bytes: Math.floor((r.data.length * 3) / 4), ms: r.encodeMs, where: 'worker', width: r.width, height: r.height });
      continue;
    }
    const t0 = performance.now();
    const canvas = new OffscreenCanvas(size.width, size.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.imageSmoothingQuality = 'medium';
    ctx.drawImage(video, 0, 0, size.width, size.height);
    if (v.sharpen) sharpened(ctx, size.width, size.height, v.sharpen);
    const blob = await canvas.convertToBlob({ type: `image/${v.format}`, quality: v.quality });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    out.push({ variant: v, data: btoa(bin), bytes: blob.size, ms: performance.now() - t0, where: 'page', ...size });
  }
  worker.terminate();
  return out;
}

/**
 * Runs in the offscreen document: each image decoded and drawn at OCR_SCALE times its size (smooth, 'high'), as
 * PNG. Tesseract reads text best at about 20 px or more of x-height, so every frame is read at the same
 * magnification: what OCR then misses is what the frame lost, not what tesseract cannot see at 5 px.
 */
async function magnify(images: Array<{ data: string; mime: string }>, scale: number): Promise<string[]> {
  const out: string[] = [];
  for (const { data, mime } of images) {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: mime }));
    const canvas = new OffscreenCanvas(bitmap.width * scale, bitmap.height * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let bin = '';
    for (let i = 0; i < png.length; i += 0x8000) bin += String.fromCharCode(...png.subarray(i, i + 0x8000));
    out.push(btoa(bin));
  }
  return out;
}

/** How much every image is magnified before OCR (magnify). */
export const OCR_SCALE = 2;

/** Evaluates `fn(...args)` in the offscreen document (which exists while something is shared). */
async function inOffscreen<T>(chrome: ChromeHarness, fn: (...args: never[]) => Promise<T>, args: unknown[]): Promise<T> {
  const { targetInfos } = (await chrome.browserCdp('Target.getTargets')) as { targetInfos: Array<{ targetId: string; url: string }> };
  const offscreen = targetInfos.find((t) => t.url.endsWith('/offscreen.html'));
  if (!offscreen) throw new Error('no offscreen document: is a tab shared?');
  const { sessionId } = (await chrome.browserCdp('Target.attachToTarget', { targetId: offscreen.targetId, flatten: true })) as { sessionId: string };
  try {
    const expression = `(${fn.toString()})(${args.map((a) => JSON.stringify(a)).join(', ')})`;
    const res = (await chrome.browserCdp('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId)) as {
      result: { value?: T };
      exceptionDetails?: { exception?: { description?: string } };
    };
    if (res.result.value === undefined) throw new Error(`offscreen evaluation failed: ${res.exceptionDetails?.exception?.description ?? 'no value'}`);
    return res.result.value;
  } finally {
    await chrome.browserCdp('Target.detachFromTarget', { sessionId }).catch(() => {});
  }
}

/** Encodes the shared tab's current picture with every variant, in the offscreen document. */
export function encodeVariants(chrome: ChromeHarness, variants: Variant[]): Promise<Encoded[]> {
  return inOffscreen(chrome, sweep, [variants, workerUrl(chrome)]);
}

/** Base64 images (of `mime` each) magnified OCR_SCALE times, as base64 PNG, for OCR. */
export function magnifyForOcr(chrome: ChromeHarness, images: Array<{ data: string; mime: string }>): Promise<string[]> {
  return inOffscreen(chrome, magnify, [images, OCR_SCALE]);
}
