/**
 * The screen's text for a model that cannot see pictures: before a request to a text-only OpenAI-compatible model,
 * the images of the newest question are read by OCR (where the capture runs: CaptureBackend.ocr), and the mapping
 * (openai-request.ts, MappingOptions.ocrText) puts that text where each picture was. Earlier frames of the
 * conversation use what was read when they were new (cached in memory), or the "picture left out" note.
 */
import type { Content } from '@google/genai';

/** Reads the text in a JPEG (base64, no data: prefix); rejects when it cannot. */
export type ReadText = (jpegBase64: string) => Promise<string>;

/** Texts already read, by image data (this service worker's life; newest kept). */
const MAX_CACHED = 24;
const cache = new Map<string, string>();

/** At most this many images of the newest question are read (the question's frame, a region's crop). */
export const MAX_OCR_IMAGES = 2;

/** The images (base64) of the last user content, the newest question, at most MAX_OCR_IMAGES, newest last. */
export function newestImages(contents: Content[]): string[] {
  const last = contents.findLast((c) => c.role !== 'model');
  const images = (last?.parts ?? []).flatMap((p) => (p.inlineData?.data ? [p.inlineData.data] : []));
  return images.slice(-MAX_OCR_IMAGES);
}

/** What OCR gave for a request: the lookup the mapping uses, and how many pictures were replaced by their text. */
export interface ScreenTexts {
  /** The text read for an image (by its base64 data), or undefined (not read, failed or empty). */
  lookup: (jpegBase64: string) => string | undefined;
  /** Images of the newest question whose text goes in their place (0: OCR read nothing or failed). */
  read: number;
}

/**
 * Reads the newest question's images with `read` (one at a time: one OCR Worker), keeping what it read for the
 * next requests of the conversation. A failed read is left out (the mapping then says a picture was left out);
 * never rejects.
 */
export async function readScreenTexts(contents: Content[], read: ReadText): Promise<ScreenTexts> {
  let count = 0;
  for (const image of newestImages(contents)) {
    let text = cache.get(image);
    if (text === undefined) {
      text = await read(image).catch(() => undefined);
      if (text === undefined) continue;
      cache.set(image, text);
      if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
    }
    if (text) count++;
  }
  return { lookup: (image) => cache.get(image) || undefined, read: count };
}

/** Forgets every text read (tests). */
export function clearScreenTexts(): void {
  cache.clear();
}
