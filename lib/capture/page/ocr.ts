/**
 * Reads the text of a frame with tesseract.js, for a model that cannot see pictures (an OpenAI-compatible
 * text-only model chosen in Settings; docs/decisions/0009-ocr-for-text-only-models.md). Runs in a page with a DOM
 * that can start Workers: Chrome's offscreen document (a service worker cannot start one), Firefox's event page and
 * sidebar.
 *
 * Nothing is downloaded at run time: tesseract.js fetches its worker, WebAssembly core and language data from a
 * CDN by default, so every path points into the extension (`/ocr/`, copied there by the build from node_modules:
 * wxt.config.ts, OCR_ASSETS). The core is the SIMD + LSTM-only build (both browsers have WebAssembly SIMD since
 * 2021; LSTM is the engine tesseract.js uses by default) as a separate .wasm file, not the base64-in-JS variant
 * (3.9 MB of JS). The language data is `4.0.0_best_int` (2.9 MB gzipped; `4.0.0` is 11 MB), tesseract.js's own
 * default, which bench:legibility measured at 94.4% character accuracy on 1080p text in the question's frame.
 * The library is imported only on the first read (a separate chunk), and the Worker ends after a minute idle
 * (it holds ~40 MB of model).
 */
import type { Worker as TesseractWorker } from 'tesseract.js';

/** Where the build puts the OCR files, under the extension's root. */
export const OCR_DIR = '/ocr/';
/** tesseract.js's worker script, its WebAssembly core loader (which fetches the .wasm beside it), the language. */
export const OCR_FILES = { worker: 'worker.min.js', core: 'tesseract-core-simd-lstm.js', lang: 'eng' } as const;
/** An idle OCR Worker is ended after this long (ms); the next read starts one again (~1 s). */
export const OCR_IDLE_MS = 60_000;

let worker: Promise<TesseractWorker> | undefined;
let idle: ReturnType<typeof setTimeout> | undefined;

/** The extension URL of an OCR file (this page's origin is the extension's). */
const assetUrl = (file: string) => new URL(`${OCR_DIR}${file}`, self.location.origin).href;

async function startWorker(): Promise<TesseractWorker> {
  const { createWorker, OEM } = await import('tesseract.js');
  return createWorker(OCR_FILES.lang, OEM.LSTM_ONLY, {
    workerPath: assetUrl(OCR_FILES.worker),
    corePath: assetUrl(OCR_FILES.core),
    // A folder: tesseract.js appends `eng.traineddata.gz`.
    langPath: assetUrl('').replace(/\/$/, ''),
    gzip: true,
    // The data ships with the extension: no copy in IndexedDB.
    cacheMethod: 'none',
    // A blob: Worker would break the extension pages' CSP (script-src 'self'); the script is ours anyway.
    workerBlobURL: false,
  });
}

/**
 * The text in a JPEG (base64, no data: prefix), as tesseract reads it: lines joined by newlines, trimmed; '' when it
 * finds none. Rejects when the OCR files cannot be loaded or the image cannot be decoded (the caller then says a
 * picture was left out). Calls are queued by tesseract's one Worker.
 */
export async function readScreenText(jpegBase64: string): Promise<string> {
  clearTimeout(idle);
  worker ??= startWorker();
  const current = worker;
  try {
    const tesseract = await current;
    const { data } = await tesseract.recognize(`data:image/jpeg;base64,${jpegBase64}`);
    return data.text.replace(/\n{3,}/g, '\n\n').trim();
  } catch (err) {
    if (worker === current) worker = undefined; // a failed start is tried again next time
    throw err;
  } finally {
    idle = setTimeout(() => void endOcr(), OCR_IDLE_MS);
  }
}

/** Ends the OCR Worker (idle, or the page closes); the next read starts a new one. */
export async function endOcr(): Promise<void> {
  clearTimeout(idle);
  const current = worker;
  worker = undefined;
  await current?.then((w) => w.terminate()).catch(() => {});
}
