/**
 * Hidden regions ("redactions"): rectangles the user drew on the live thumbnail, blacked out in every frame
 * before change detection and encoding, so those pixels never leave the browser. Stored as fractions of the
 * frame, so they hold at any capture size. Pure.
 */

import { thumbnailOf, type LumaThumbnail, type RgbaImage } from './luma.ts';

/** A rectangle in fractions (0..1) of the frame's width and height, from its top-left corner. */
export interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Smallest side of a region worth keeping (a stray click is not a region). */
export const MIN_REGION_SIDE = 0.01;
/** Most regions kept per site; more is almost certainly a mistake and costs time per frame. */
export const MAX_REGIONS = 32;

const clamp01 = (v: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);

/** The region clamped to the frame, or undefined when nothing of it is left. */
export function normalizeRegion(r: Region): Region | undefined {
  const x0 = clamp01(Math.min(r.x, r.x + r.w));
  const x1 = clamp01(Math.max(r.x, r.x + r.w));
  const y0 = clamp01(Math.min(r.y, r.y + r.h));
  const y1 = clamp01(Math.max(r.y, r.y + r.h));
  if (x1 - x0 < MIN_REGION_SIDE || y1 - y0 < MIN_REGION_SIDE) return undefined;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** A trusted list from anything (storage, a message): valid regions only, at most MAX_REGIONS. */
export function normalizeRegions(input: unknown): Region[] {
  if (!Array.isArray(input)) return [];
  const out: Region[] = [];
  for (const item of input) {
    if (typeof item !== 'object' || item === null) continue;
    const { x, y, w, h } = item as Record<string, unknown>;
    const r = normalizeRegion({ x: Number(x), y: Number(y), w: Number(w), h: Number(h) });
    if (r) out.push(r);
    if (out.length === MAX_REGIONS) break;
  }
  return out;
}

/** The rectangle from a drag between two points (fractions), in either direction. */
export function regionBetween(a: { x: number; y: number }, b: { x: number; y: number }): Region | undefined {
  return normalizeRegion({ x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y });
}

/**
 * Pixel rectangle a region covers in a width x height frame. Rounded outwards: a region never leaves a
 * partly covered pixel at its edge showing.
 */
export function regionPixels(r: Region, width: number, height: number): { x: number; y: number; w: number; h: number } {
  const x0 = Math.max(0, Math.floor(r.x * width));
  const y0 = Math.max(0, Math.floor(r.y * height));
  const x1 = Math.min(width, Math.ceil((r.x + r.w) * width));
  const y1 = Math.min(height, Math.ceil((r.y + r.h) * height));
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}

/** Blacks out the regions in RGBA pixels (canvas ImageData), in place. Returns the number of pixels covered. */
export function maskRgba(image: { width: number; height: number; data: Uint8ClampedArray }, regions: readonly Region[]): number {
  const { width, height, data } = image;
  let covered = 0;
  for (const region of regions) {
    const p = regionPixels(region, width, height);
    for (let y = p.y; y < p.y + p.h; y++) {
      let i = (y * width + p.x) * 4;
      for (let x = 0; x < p.w; x++, i += 4) {
        data[i] = 0;
        data[i + 1] = 0;
        data[i + 2] = 0;
        data[i + 3] = 255;
      }
      covered += p.w;
    }
  }
  return covered;
}

/**
 * The first step of every frame in the encode Worker: hidden regions go black in the pixels (in place),
 * then the luminance thumbnail that change detection compares is taken from the masked pixels. So a change
 * inside a hidden region is no change, and the JPEG encoded from the same pixels shows black there.
 * Returns whether any pixel was masked (the canvas must then be written back before encoding).
 */
export function maskForEncoding(
  pixels: RgbaImage,
  regions: readonly Region[] | undefined,
  source: { width: number; height: number },
  /** Runs between masking and the thumbnail, e.g. to start the JPEG encoder on the masked pixels. */
  afterMask?: (masked: boolean) => void,
): { thumb: LumaThumbnail; masked: boolean } {
  const masked = regions?.length ? maskRgba(pixels, regions) > 0 : false;
  afterMask?.(masked);
  return { thumb: thumbnailOf(pixels, source), masked };
}

/** Keyboard editing: moves (or, with resize, grows/shrinks) a region by a step, kept inside the frame. */
export function nudgeRegion(r: Region, dx: number, dy: number, resize: boolean): Region {
  if (resize) {
    const w = Math.min(1 - r.x, Math.max(MIN_REGION_SIDE, r.w + dx));
    const h = Math.min(1 - r.y, Math.max(MIN_REGION_SIDE, r.h + dy));
    return { ...r, w, h };
  }
  return { ...r, x: Math.min(1 - r.w, Math.max(0, r.x + dx)), y: Math.min(1 - r.h, Math.max(0, r.y + dy)) };
}

/** Whether `next` hides something `prev` did not (a region added or grown): then older pixels must not be sent. */
export function hidesMore(prev: readonly Region[], next: readonly Region[]): boolean {
  const contains = (a: Region, b: Region) => a.x <= b.x && a.y <= b.y && a.x + a.w >= b.x + b.w && a.y + a.h >= b.y + b.h;
  return next.some((n) => !prev.some((p) => contains(p, n)));
}

/** "left 10%, top 20%, 30% wide, 15% high": how a region is read out in the list. */
export function describeRegion(r: Region): string {
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  return `left ${pct(r.x)}, top ${pct(r.y)}, ${pct(r.w)} wide, ${pct(r.h)} high`;
}
