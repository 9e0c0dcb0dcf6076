/**
 * Dedicated Worker that turns frames into JPEG. Encoding on the offscreen document's main thread can take
 * a whole second per frame (platform facts); here it takes a few milliseconds.
 */
import type { EncodeRequest, EncodeResponse } from './encode-protocol.ts';
import { meanLuma } from '../frames/brightness.ts';

// Minimal Worker-scope declarations: the project compiles against the DOM library.
declare const self: { postMessage(message: unknown): void; onmessage: ((ev: MessageEvent<EncodeRequest>) => void) | null };
declare class FileReaderSync {
  readAsDataURL(blob: Blob): string;
}

let canvas: OffscreenCanvas | undefined;

function context(width: number, height: number): OffscreenCanvasRenderingContext2D {
  if (!canvas) canvas = new OffscreenCanvas(width, height);
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas unavailable in worker');
  return ctx;
}

async function encode(req: EncodeRequest): Promise<EncodeResponse> {
  const t0 = performance.now();
  const { width, height } = req.bitmap;
  const ctx = context(width, height);
  ctx.drawImage(req.bitmap, 0, 0);
  req.bitmap.close();
  const pixels = ctx.getImageData(0, 0, width, height);
  const blob = await canvas!.convertToBlob({ type: 'image/jpeg', quality: req.quality });
  const dataUrl = new FileReaderSync().readAsDataURL(blob);
  return {
    id: req.id,
    kind: 'encoded',
    data: dataUrl.slice(dataUrl.indexOf(',') + 1),
    width,
    height,
    meanLuma: meanLuma(pixels.data),
    encodeMs: performance.now() - t0,
  };
}

self.onmessage = async (ev: MessageEvent<EncodeRequest>) => {
  const req = ev.data;
  try {
    self.postMessage(await encode(req));
  } catch (err) {
    self.postMessage({ id: req.id, kind: 'error', message: String(err) } satisfies EncodeResponse);
  }
};
