/**
 * How Gemini bills a request's input, written out from the public docs on its own (it does not use the product's
 * table in lib/core/conversation/media-resolution.ts, which the tests check against it). Test-only; the stand-in
 * server (fake-gemini.ts) can report these counts as usageMetadata through a responder's `usage`.
 *
 * - Text: about 4 characters a token (https://ai.google.dev/gemini-api/docs/tokens), system instruction included.
 * - Gemini 3 and later: an image costs what its part's `mediaResolution.level` says, HIGH when it names none:
 *   LOW 280, MEDIUM 560, HIGH 1120, ULTRA_HIGH 2240 (https://ai.google.dev/gemini-api/docs/media-resolution).
 * - Gemini 1.x/2.x: 258 tokens for an image with both sides <= 384 px, else 258 per 768x768 tile; a per-part
 *   level is not read (https://ai.google.dev/gemini-api/docs/tokens, "Image tokens").
 * - Implicit caching serves a repeated prefix of at least 4,096 tokens (Gemini 3) or 2,048 (Gemini 2.5)
 *   (https://ai.google.dev/gemini-api/docs/caching).
 */
import { jpegSize } from '../../lib/core/frames/jpeg-size.ts';

interface WirePart { text?: string; inlineData?: { data?: string; mimeType?: string }; fileData?: unknown; mediaResolution?: { level?: string } }
interface WireContent { role?: string; parts?: WirePart[] }
interface WireBody { contents?: WireContent[]; systemInstruction?: { parts?: WirePart[] } | string }

const LEVELS: Record<string, number> = {
  MEDIA_RESOLUTION_LOW: 280,
  MEDIA_RESOLUTION_MEDIUM: 560,
  MEDIA_RESOLUTION_HIGH: 1120,
  MEDIA_RESOLUTION_ULTRA_HIGH: 2240,
};

/** True for models billed by 768 px tiles (Gemini 1.x and 2.x). */
export function tiles(model: string): boolean {
  return /gemini-[12]([.-]|$)/.test(model);
}

/** Billed tokens of one part for `model`. */
export function partTokens(part: WirePart, model: string): number {
  let n = typeof part.text === 'string' ? Math.ceil(part.text.length / 4) : 0;
  if (part.inlineData || part.fileData) {
    if (!tiles(model)) n += LEVELS[part.mediaResolution?.level ?? ''] ?? 1120;
    else {
      const size = part.inlineData?.data ? jpegSize(part.inlineData.data) : null;
      if (!size || (size.width <= 384 && size.height <= 384)) n += 258;
      else n += 258 * Math.ceil(size.width / 768) * Math.ceil(size.height / 768);
    }
  }
  return n;
}

/** The same part, field by field (cheaper than serialising megabytes of base64 per comparison). */
function samePart(a: WirePart, b: WirePart): boolean {
  if (a.text !== b.text || a.mediaResolution?.level !== b.mediaResolution?.level) return false;
  if (a.inlineData?.data !== b.inlineData?.data || a.inlineData?.mimeType !== b.inlineData?.mimeType) return false;
  const known = new Set(['text', 'inlineData', 'mediaResolution']);
  const rest = (p: WirePart) => JSON.stringify(Object.entries(p).filter(([k]) => !known.has(k)));
  return rest(a) === rest(b);
}

function systemParts(body: WireBody): WirePart[] {
  const si = body.systemInstruction;
  return typeof si === 'string' ? [{ text: si }] : (si?.parts ?? []);
}

/** promptTokenCount as Gemini would report it for this generateContent body sent to `model`. */
export function billedPromptTokens(body: unknown, model: string): number {
  const b = (body ?? {}) as WireBody;
  const parts = [...systemParts(b), ...(b.contents ?? []).flatMap((c) => c.parts ?? [])];
  return parts.reduce((sum, p) => sum + partTokens(p, model), 0);
}

/**
 * Tokens at the start of `body` that repeat the start of `previous` exactly (system instruction, then contents
 * part by part, in order): what an implicit cache could serve. 0 when the system instructions differ.
 */
export function sharedPrefixTokens(previous: unknown, body: unknown, model: string): number {
  const a = (previous ?? {}) as WireBody;
  const b = (body ?? {}) as WireBody;
  const sa = systemParts(a);
  const sb = systemParts(b);
  if (sa.length !== sb.length || sa.some((p, i) => !samePart(p, sb[i]!))) return 0;
  let shared = systemParts(b).reduce((sum, p) => sum + partTokens(p, model), 0);
  const ca = a.contents ?? [];
  const cb = b.contents ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    if (ca[i]!.role !== cb[i]!.role) return shared;
    const pa = ca[i]!.parts ?? [];
    const pb = cb[i]!.parts ?? [];
    for (let j = 0; j < pb.length; j++) {
      if (j >= pa.length || !samePart(pa[j]!, pb[j]!)) return shared;
      shared += partTokens(pb[j]!, model);
    }
    if (pa.length !== pb.length) return shared;
  }
  return shared;
}

/** The shortest prefix Gemini's implicit cache serves for `model`, tokens. */
export function cacheMinTokens(model: string): number {
  return tiles(model) ? 2048 : 4096;
}
