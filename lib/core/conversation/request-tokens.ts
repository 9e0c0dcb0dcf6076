/**
 * The token estimate of a request before it is sent (what the meter and compaction plan with; the bill itself
 * comes from usageMetadata). Text is about 4 characters a token (https://ai.google.dev/gemini-api/docs/tokens);
 * images cost what the media-resolution table says for the model family (media-resolution.ts).
 */
import type { Content } from '@google/genai';
import { jpegSize } from '../frames/jpeg-size.ts';
import { DEFAULT_FAMILY, imagePartTokens, type ModelFamily } from './media-resolution.ts';

/** Tokens of `text`: about 4 characters each. */
export function textTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Estimated input tokens of `contents` sent to a `family` model: text by characters, each image part by its
 * per-part media resolution (Gemini 3) or its pixel size read from the JPEG header (Gemini 2.x tiles).
 */
export function estimateTokens(contents: Content[], family: ModelFamily = DEFAULT_FAMILY): number {
  let total = 0;
  for (const c of contents) {
    for (const p of c.parts ?? []) {
      if (p.text) total += textTokens(p.text);
      const media = p.inlineData ?? p.fileData;
      if (!media) continue;
      // Gemini 3 bills by level alone; only the 2.x tile rule needs the pixel size.
      const size = family === 'gemini-2' && p.inlineData?.data && p.inlineData.mimeType === 'image/jpeg' ? jpegSize(p.inlineData.data) : null;
      total += imagePartTokens(family, p.mediaResolution?.level, size);
    }
  }
  return total;
}
