/**
 * Dedicated Worker that decides whether a frame changed and turns kept frames into JPEG. Encoding on the
 * offscreen document's main thread can take a whole second per frame (platform facts); here, milliseconds.
 * Change is judged before encoding, so unchanged frames cost one small thumbnail and nothing else.
 */
import type { EncodeProtocol, EncodeRequest, EncodeResult } from '../../protocol/encode.ts';
import { serveRpc } from '../../messaging/rpc.ts';
import { workerScopeChannel } from '../../messaging/channels.ts';
import { createChangeDetector } from '../../core/frames/change.ts';
import { meanLuma } from '../../core/frames/luma.ts';
import { maskForEncoding } from '../../core/frames/redaction.ts';

// Minimal Worker-scope declarations: the project compiles against the DOM library.
declare const self: { postMessage(message: unknown): void; addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void };
declare class FileReaderSync {
  readAsDataURL(blob: Blob): string;
}

let canvas: OffscreenCanvas | undefined;
const detector = createChangeDetector();

function draw(bitmap: ImageBitmap): OffscreenCanvasRenderingContext2D {
  const { width, height } = bitmap;
  if (!canvas) canvas = new OffscreenCanvas(width, height);
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas unavailable in worker');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return ctx;
}

function encodeJpeg(quality: number): Promise<Blob> {
  return canvas!.convertToBlob({ type: 'image/jpeg', quality });
}

async function encode(req: EncodeRequest): Promise<EncodeResult> {
  const t0 = performance.now();
  const { width, height } = req.bitmap;
  const ctx = draw(req.bitmap);
  const pixels = ctx.getImageData(0, 0, width, height);
  // Hidden regions go black first: change detection, the JPEG and the mean luminance all see them black.
  // A question's frame is always encoded: the encoder starts on the masked pixels and the change thumbnail is
  // made while it runs, shortening the wait for the answer. A sampled frame is judged first, encoded if changed.
  let encoding: Promise<Blob> | undefined;
  const { thumb } = maskForEncoding(pixels, req.redactions, { width: req.sourceWidth, height: req.sourceHeight }, (masked) => {
    if (masked) ctx.putImageData(pixels, 0, 0);
    if (req.mode !== 'sample') encoding = encodeJpeg(req.quality);
  });
  // A crop shows part of the frame: comparing it with whole frames, or keeping it as the reference, would be wrong.
  const verdict = req.mode === 'crop' ? { changed: true, score: 0 } : detector.consider(thumb, Date.now());
  if (req.mode === 'sample' && !verdict.changed) return { kind: 'unchanged', score: verdict.score };
  if (!verdict.changed) detector.keep(thumb, Date.now());
  const blob = await (encoding ?? encodeJpeg(req.quality));
  const dataUrl = new FileReaderSync().readAsDataURL(blob);
  return {
    kind: 'encoded',
    data: dataUrl.slice(dataUrl.indexOf(',') + 1),
    width,
    height,
    meanLuma: meanLuma(thumb),
    encodeMs: performance.now() - t0,
    changed: verdict.changed,
  };
}

// A frame that fails to encode rejects its call with the error's message; the Worker carries on.
serveRpc<EncodeProtocol>(workerScopeChannel(self), { encode });
