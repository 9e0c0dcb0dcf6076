/**
 * What an image costs, and at what detail Gemini looks at it: one table per model family and frame role
 * (docs/decisions/0007-media-resolution.md). Pure; the request builder and the token estimate both read it.
 *
 * Facts, and where they come from (checked November 2026; re-check when a new family ships):
 * - Gemini 3 (and later) bills an image by its media resolution, settable per part with
 *   `part.mediaResolution.level` on `v1beta`: about 280 / 560 / 1,120 / 2,240 tokens for LOW / MEDIUM / HIGH /
 *   ULTRA_HIGH; an image part without it is billed at the default, HIGH.
 *   https://ai.google.dev/gemini-api/docs/media-resolution ("Per-part media resolution", "Token counts").
 *   The JSON shape is @google/genai's `Part.mediaResolution: { level: PartMediaResolutionLevel }`, which the
 *   SDK passes through unchanged to the Gemini API (node_modules/@google/genai/dist/genai.d.ts, `Part`).
 * - Gemini 2.x has no per-part field (sending one is not documented to work); an image with both sides
 *   <= 384 px is 258 tokens, a larger one is cut into 768x768 tiles of 258 tokens each.
 *   https://ai.google.dev/gemini-api/docs/tokens ("Image tokens"); /work/shared/notes/platform-facts.md.
 */
import type { PartMediaResolution, PartMediaResolutionLevel } from '@google/genai';
import type { FrameReason } from '../types.ts';

/** How a model bills images: by 768 px tiles (Gemini 1.x/2.x) or by a per-part media resolution (Gemini 3 on). */
export type ModelFamily = 'gemini-2' | 'gemini-3';

/**
 * Why a frame is in a request, which decides how sharply it is looked at: `context` for frames sampled between
 * questions (what happened), `question` for the frame taken when the question was asked (what is there now),
 * `closer` for a "Look closer" frame (small print).
 */
export type FrameRole = 'context' | 'question' | 'closer';

/** The per-part levels this table uses (string values of @google/genai's PartMediaResolutionLevel). */
export type MediaLevel = 'MEDIA_RESOLUTION_LOW' | 'MEDIA_RESOLUTION_MEDIUM' | 'MEDIA_RESOLUTION_HIGH' | 'MEDIA_RESOLUTION_ULTRA_HIGH';

/** Gemini 3 image tokens per level (media-resolution page, "Token counts"). */
export const GEMINI3_IMAGE_TOKENS: Readonly<Record<MediaLevel, number>> = {
  MEDIA_RESOLUTION_LOW: 280,
  MEDIA_RESOLUTION_MEDIUM: 560,
  MEDIA_RESOLUTION_HIGH: 1120,
  MEDIA_RESOLUTION_ULTRA_HIGH: 2240,
};

/** What Gemini 3 uses for an image part that names no level. */
export const GEMINI3_DEFAULT_LEVEL: MediaLevel = 'MEDIA_RESOLUTION_HIGH';

/**
 * The level per role on Gemini 3. Context frames only have to say what happened (a slide changed, a toast
 * appeared), so LOW; the question's frame is read for text, so HIGH; "Look closer" is for small print.
 */
export const GEMINI3_ROLE_LEVEL: Readonly<Record<FrameRole, MediaLevel>> = {
  context: 'MEDIA_RESOLUTION_LOW',
  question: 'MEDIA_RESOLUTION_HIGH',
  closer: 'MEDIA_RESOLUTION_ULTRA_HIGH',
};

/** Gemini 2.x: tokens per image tile, and the side up to which an image is one "small" image. */
export const TILE_TOKENS = 258;
export const TILE_PX = 768;
export const SMALL_IMAGE_PX = 384;

/** The family used when no model is named: the default model's (`gemini-flash-latest` is a Gemini 3 model). */
export const DEFAULT_FAMILY: ModelFamily = 'gemini-3';

/**
 * The billing family of a model name. `gemini-1.*` and `gemini-2.*` (with or without `models/`) tile; every
 * other name (`gemini-3-*`, later majors, the `-latest` aliases, names not known yet) is billed per media
 * resolution, since model names change monthly and new ones follow the newest rule. No name: DEFAULT_FAMILY.
 */
export function modelFamily(model?: string): ModelFamily {
  if (!model) return DEFAULT_FAMILY;
  return /^(models\/)?gemini-(1|2)(\.|-|$)/i.test(model.trim()) ? 'gemini-2' : 'gemini-3';
}

/** The role a kept frame plays when sent, from why it was taken (a region's crop is read as closely as "Look closer"). */
export function roleOf(reason: FrameReason): FrameRole {
  return reason === 'sampled' ? 'context' : reason === 'region' ? 'closer' : reason;
}

/** Gemini 2.x tokens of a width x height px image: 258 when both sides are <= 384 px, else 258 per 768 px tile. */
export function tileTokens(width: number, height: number): number {
  if (width <= SMALL_IMAGE_PX && height <= SMALL_IMAGE_PX) return TILE_TOKENS;
  return TILE_TOKENS * Math.ceil(width / TILE_PX) * Math.ceil(height / TILE_PX);
}

/** What an image part carries besides its bytes, and what it is estimated to cost (tokens). */
export interface PartMedia {
  /** The per-part field to set (Gemini 3), or undefined when the family has none (Gemini 2.x). */
  mediaResolution?: PartMediaResolution;
  tokens: number;
}

/** The media resolution and token estimate of a width x height px frame sent in `role` to a `family` model. */
export function mediaFor(family: ModelFamily, role: FrameRole, width: number, height: number): PartMedia {
  if (family === 'gemini-2') return { tokens: tileTokens(width, height) };
  const level = GEMINI3_ROLE_LEVEL[role];
  // The SDK's enum has exactly these string values; core imports it as a type only (README, layer rules).
  return { mediaResolution: { level: level as PartMediaResolutionLevel }, tokens: GEMINI3_IMAGE_TOKENS[level] };
}

/**
 * Tokens of any image part as it will be billed: on Gemini 3 by the part's level (the default, HIGH, when it
 * names none or one this table does not know), on Gemini 2.x by its tiles (`size` from the JPEG header; one
 * tile when the size is unknown).
 */
export function imagePartTokens(family: ModelFamily, level: string | undefined, size: { width: number; height: number } | null): number {
  if (family === 'gemini-2') return size ? tileTokens(size.width, size.height) : TILE_TOKENS;
  return GEMINI3_IMAGE_TOKENS[level as MediaLevel] ?? GEMINI3_IMAGE_TOKENS[GEMINI3_DEFAULT_LEVEL];
}
