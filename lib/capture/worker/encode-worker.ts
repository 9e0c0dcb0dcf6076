/**
 * Dedicated Worker that decides whether a frame changed and turns kept frames into JPEG. Encoding on the
 * offscreen document's main thread can take a whole second per frame (platform facts); here, milliseconds.
 * Change is judged before encoding, so unchanged frames cost one small thumbnail and nothing else, and a picture
 * identical to one encoded moments before (the question's frame taken while the person typed) is not encoded
 * again (lib/core/frames/reuse.ts).
 */
import type { EncodeProtocol, EncodeRequest, EncodeResult } from '../../protocol/encode.ts';
import { serveRpc } from '../../messaging/rpc.ts';
import { workerScopeChannel } from '../../messaging/channels.ts';
import { createChangeDetector } from '../../core/frames/change.ts';
import { meanLuma, type LumaThumbnail } from '../../core/frames/luma.ts';
import { maskForEncoding } from '../../core/frames/redaction.ts';
import { EncodedFrames, regionsKey, type EncodingKey } from '../../core/frames/reuse.ts';

// Minimal Worker-scope declarations: the project compiles against the DOM library.
declare const self: { postMessage(message: unknown): void; addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void };
declare class FileReaderSync {
  readAsDataURL(blob: Blob): string;
}

let canvas: OffscreenCanvas | undefined;
const detector = createChangeDetector();
/** Base64 JPEGs, or promises of them while they are encoded. */
const encoded = new EncodedFrames<Promise<string>>();

/** The JPEG's size: the request's, or the picture's own. */
function sizeOf(req: EncodeRequest): { width: number; height: number } {
  const { bitmap } = req;
  const own = bitmap instanceof ImageBitmap ? { width: bitmap.width, height: bitmap.height } : { width: bitmap.displayWidth, height: bitmap.displayHeight };
  return { width: req.width ?? own.width, height: req.height ?? own.height };
}

/** Draws the picture at `width` x `height` (scaling a VideoFrame here is its one resize) and lets it go. */
function draw(bitmap: ImageBitmap | VideoFrame, width: number, height: number): OffscreenCanvasRenderingContext2D {
  if (!canvas) canvas = new OffscreenCanvas(width, height);
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas unavailable in worker');
  // 'medium' as createImageBitmap's resize was: mipmaps, so small text is averaged rather than skipped.
  ctx.imageSmoothingQuality = 'medium';
  try {
    ctx.drawImage(bitmap, 0, 0, width, height);
  } finally {
    bitmap.close();
  }
  return ctx;
}

/**
 * Starts the JPEG of what the canvas holds now (convertToBlob copies the canvas when called) and keeps it.
 * Chromium 156 encodes on this thread after the current task, not beside it (measured: 4 ms of script started
 * after convertToBlob added 4 ms to it), so nothing is gained by starting it before the thumbnail.
 */
function encodeJpeg(key: EncodingKey, thumb: LumaThumbnail, keep = true): Promise<string> {
  const jpeg = canvas!.convertToBlob({ type: 'image/jpeg', quality: key.quality }).then((blob) => {
    const dataUrl = new FileReaderSync().readAsDataURL(blob);
    return dataUrl.slice(dataUrl.indexOf(',') + 1);
  });
  if (keep) {
    encoded.keep(key, thumb, jpeg);
    jpeg.catch(() => encoded.forget(jpeg));
  }
  return jpeg;
}

async function encode(req: EncodeRequest): Promise<EncodeResult> {
  const t0 = performance.now();
  const { width, height } = sizeOf(req);
  const ctx = draw(req.bitmap, width, height);
  const pixels = ctx.getImageData(0, 0, width, height);
  // Hidden regions go black first: change detection, the JPEG and the mean luminance all see them black.
  const { thumb, masked } = maskForEncoding(pixels, req.redactions, { width: req.sourceWidth, height: req.sourceHeight });
  if (masked) ctx.putImageData(pixels, 0, 0);
  const key: EncodingKey = { width, height, quality: req.quality, regions: regionsKey(req.redactions) };
  if (req.mode === 'prepare') {
    if (!encoded.find(key, thumb)) await encodeJpeg(key, thumb);
    return { kind: 'prepared' };
  }
  // A crop shows part of the frame: comparing it with whole frames, or keeping it as the reference, would be
  // wrong; nor is it kept for reuse (it would push out the whole frames a question reuses).
  const verdict = req.mode === 'crop' ? { changed: true, score: 0 } : detector.consider(thumb, Date.now());
  if (req.mode === 'sample' && !verdict.changed) return { kind: 'unchanged', score: verdict.score };
  // A question's frame is sent although unchanged: it becomes the reference all the same.
  if (!verdict.changed) detector.keep(thumb, Date.now());
  const data = await (req.mode === 'crop' ? encodeJpeg(key, thumb, false) : (encoded.find(key, thumb) ?? encodeJpeg(key, thumb)));
  return {
    kind: 'encoded',
    data,
    width,
    height,
    meanLuma: meanLuma(thumb),
    encodeMs: performance.now() - t0,
    changed: verdict.changed,
  };
}

// A frame that fails to encode rejects its call with the error's message; the Worker carries on.
serveRpc<EncodeProtocol>(workerScopeChannel(self), { encode });
