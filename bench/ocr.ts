/**
 * OCR for bench:legibility: tesseract.js in Node with the English LSTM model from the npm package
 * @tesseract.js-data/eng, read from node_modules. Nothing is fetched at run time: in Node, tesseract.js runs its
 * worker and WebAssembly core from node_modules (tesseract.js, tesseract.js-core), and `langPath` points at the
 * data package's folder, so the language file is read from disk (platform facts: its default downloads it).
 * Both packages are devDependencies of the bench only; when they are missing, `createOcr` says which to install.
 */
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Ocr {
  /** The text tesseract reads in an encoded image (JPEG, PNG or WebP bytes). */
  read(image: Buffer): Promise<string>;
  close(): Promise<void>;
}

/** What tesseract.js exports that is used here (its own types come with the package). */
interface TesseractModule {
  createWorker(
    langs: string,
    oem: number,
    options: { langPath: string; cachePath: string; cacheMethod: string; gzip: boolean },
  ): Promise<{ recognize(image: Buffer): Promise<{ data: { text: string } }>; terminate(): Promise<unknown> }>;
}

export const OCR_PACKAGES = ['tesseract.js@7.0.0', '@tesseract.js-data/eng@1.0.0'];

/**
 * The folder of @tesseract.js-data/eng that holds eng.traineddata.gz: the LSTM-only "best_int" model, which is
 * what tesseract.js loads for OEM 1 (LSTM_ONLY), or any version folder the package has.
 */
function engDataFolder(require: NodeJS.Require): string {
  const root = dirname(require.resolve('@tesseract.js-data/eng/package.json'));
  const folders = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'eng.traineddata.gz')));
  const best = folders.find((d) => d.name.includes('best_int')) ?? folders[0];
  if (!best) throw new Error(`no eng.traineddata.gz under ${root}`);
  return join(root, best.name);
}

/** An OCR reader, or undefined (with the reason) when the packages are not installed. */
export async function createOcr(): Promise<{ ocr?: Ocr; missing?: string }> {
  const require = createRequire(import.meta.url);
  let tesseract: TesseractModule;
  let langPath: string;
  try {
    const name = 'tesseract.js';
    tesseract = (await import(name)) as TesseractModule;
    langPath = engDataFolder(require);
  } catch (err) {
    return { missing: `OCR needs ${OCR_PACKAGES.join(' and ')} (${(err as Error).message.split('\n')[0]})` };
  }
  // OEM 1: the LSTM engine, the model the data package's best_int folder holds. No cache: read from disk each run.
  const worker = await tesseract.createWorker('eng', 1, { langPath, cachePath: mkdtempSync(join(tmpdir(), 'sightline-ocr-')), cacheMethod: 'none', gzip: true });
  return {
    ocr: {
      read: async (image) => (await worker.recognize(image)).data.text,
      close: async () => void (await worker.terminate()),
    },
  };
}
