/**
 * "Point and ask" geometry (issue 14, item 1): a region the person drew, in fractions of the frame, becomes
 * the source-pixel rectangle cut out of the shared picture, and the hidden regions become rectangles in the
 * crop's own fractions so the encode Worker blacks them out there. Pure.
 *
 * Units: a Region is fractions (0..1) of the frame's width and height from its top-left corner
 * (lib/core/frames/redaction.ts). Source pixels are the shared picture's own pixels: device pixels for a
 * tab capture stream (a HiDPI tab arrives at devicePixelRatio times its CSS size), whatever a camera or a
 * screen delivers. CSS pixels appear only where a browser API measures in them (Firefox's captureVisibleTab
 * `rect`, a tab's `width`/`height` in tabs.Tab).
 */
import { normalizeRegion, type Region } from '../frames/redaction.ts';

/** A rectangle in whole source pixels: left, top, width, height. */
export interface PixelRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Smallest side of a crop in CSS pixels: a smaller drag grows around its centre (a 10 px crop says nothing). */
export const MIN_CROP_CSS_PX = 32;

/** Longest side of an encoded crop (px): a region is rarely larger than this at its own size; the question's frame (QUESTION_GRAB) is as large. */
export const CROP_MAX_SIDE = 1536;

/**
 * Pixels of the encoded crop added around each hidden region when the crop is scaled down (regionsInCrop):
 * createImageBitmap's resampling reads somewhat beyond each output pixel's own footprint.
 */
export const SCALED_CROP_MARGIN_PX = 2;

/**
 * A region someone pointed at, from anything (a panel message): clamped to the frame; a point or a sliver is
 * kept (cropPlan grows it to the minimum). Undefined when it is not four finite numbers or lies outside.
 */
export function pointedRegion(input: unknown): Region | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const { x, y, w, h } = input as Record<string, unknown>;
  if (![x, y, w, h].every((v) => typeof v === 'number')) return undefined;
  return clampRegion({ x: x as number, y: y as number, w: w as number, h: h as number });
}

function clampRegion(r: Region): Region | undefined {
  if (![r.x, r.y, r.w, r.h].every(Number.isFinite)) return undefined;
  const x0 = Math.max(0, Math.min(r.x, r.x + r.w));
  const x1 = Math.min(1, Math.max(r.x, r.x + r.w));
  const y0 = Math.max(0, Math.min(r.y, r.y + r.h));
  const y1 = Math.min(1, Math.max(r.y, r.y + r.h));
  if (x1 < x0 || y1 < y0 || x0 >= 1 || y0 >= 1) return undefined;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** What to cut out of a source picture, and at what size to encode it. */
export interface CropPlan {
  /** The source pixels cut out (integers, inside the source). */
  rect: PixelRect;
  /** The same rectangle as fractions of the source: the region actually sent (grown, clamped and snapped). */
  region: Region;
  /** Size of the encoded crop (px): the rectangle itself, or scaled down to fit maxSide. Never scaled up. */
  width: number;
  height: number;
}

export interface CropOptions {
  /** Longest side of the encoded crop (px). Default CROP_MAX_SIDE. */
  maxSide?: number;
  /** Source pixels per CSS pixel (2 for a tab on a HiDPI screen). Default 1. Scales the minimum size. */
  pixelRatio?: number;
  /** Smallest crop side in CSS pixels. Default MIN_CROP_CSS_PX. */
  minCssPx?: number;
}

/** Grows [start, start+len) around its centre to at least `min`, then shifts it inside [0, total). */
function growInside(start: number, len: number, min: number, total: number): [number, number] {
  const want = Math.min(total, Math.max(len, min));
  const centre = start + len / 2;
  const from = Math.min(total - want, Math.max(0, centre - want / 2));
  return [from, want];
}

/**
 * The source rectangle for `region` in a `source` picture (source pixels), for any aspect ratio.
 * The region is clamped to the frame, grown to the minimum size around its centre (kept inside the frame; a
 * point or a thin line grows too), and rounded outwards to whole pixels, so what the person pointed at is
 * always inside. Returns undefined when the region is outside the frame or not finite, or the source has no
 * pixels.
 */
export function cropPlan(region: Region, source: { width: number; height: number }, opts: CropOptions = {}): CropPlan | undefined {
  const W = Math.floor(source.width);
  const H = Math.floor(source.height);
  const r = clampRegion(region);
  if (!r || !(W > 0) || !(H > 0)) return undefined;
  const ratio = opts.pixelRatio && opts.pixelRatio > 0 ? opts.pixelRatio : 1;
  const min = (opts.minCssPx ?? MIN_CROP_CSS_PX) * ratio;
  const [fx, fw] = growInside(r.x * W, r.w * W, min, W);
  const [fy, fh] = growInside(r.y * H, r.h * H, min, H);
  const x = Math.max(0, Math.floor(fx));
  const y = Math.max(0, Math.floor(fy));
  const rect = { x, y, w: Math.min(W, Math.ceil(fx + fw)) - x, h: Math.min(H, Math.ceil(fy + fh)) - y };
  const maxSide = opts.maxSide ?? CROP_MAX_SIDE;
  const scale = Math.min(1, maxSide / Math.max(rect.w, rect.h));
  return {
    rect,
    region: { x: rect.x / W, y: rect.y / H, w: rect.w / W, h: rect.h / H },
    width: Math.max(1, Math.round(rect.w * scale)),
    height: Math.max(1, Math.round(rect.h * scale)),
  };
}

/**
 * Hidden regions (fractions of the frame) as fractions of a crop of that frame (`crop`, fractions of the
 * frame too), clipped to it; regions that miss the crop are left out. The Worker masks them in the crop's
 * pixels rounding outwards (regionPixels), which is the same as masking the whole frame first and cropping
 * after ("mask before crop"). `marginPx` widens each by that many pixels of the encoded crop (`out`): when the
 * crop is scaled down, the resampling filter reads a little beyond each output pixel, and a hidden pixel's
 * colour must not bleed into one next to it.
 */
export function regionsInCrop(hidden: readonly Region[], crop: Region, out: { width: number; height: number }, marginPx = 0): Region[] {
  if (!(crop.w > 0) || !(crop.h > 0)) return [];
  const mx = out.width > 0 ? marginPx / out.width : 0;
  const my = out.height > 0 ? marginPx / out.height : 0;
  const inside: Region[] = [];
  for (const h of hidden) {
    const x0 = Math.max(0, (h.x - crop.x) / crop.w - mx);
    const y0 = Math.max(0, (h.y - crop.y) / crop.h - my);
    const x1 = Math.min(1, (h.x + h.w - crop.x) / crop.w + mx);
    const y1 = Math.min(1, (h.y + h.h - crop.y) / crop.h + my);
    // Kept however thin: a sliver of a hidden region in the crop is still hidden (no MIN_REGION_SIDE here).
    if (x1 > x0 && y1 > y0) inside.push({ x: x0, y: y0, w: x1 - x0, h: y1 - y0 });
  }
  return inside;
}

/** A rectangle in CSS pixels of a viewport (a drag on a page, Firefox's captureVisibleTab `rect`) as fractions. */
export function regionOfCssRect(rect: PixelRect, viewport: { width: number; height: number }): Region | undefined {
  if (!(viewport.width > 0) || !(viewport.height > 0)) return undefined;
  return normalizeRegion({ x: rect.x / viewport.width, y: rect.y / viewport.height, w: rect.w / viewport.width, h: rect.h / viewport.height });
}

/** A region as a rectangle in CSS pixels of a viewport, rounded outwards (Firefox's captureVisibleTab `rect`). */
export function cssRectOf(region: Region, viewport: { width: number; height: number }): PixelRect {
  const x = Math.floor(region.x * viewport.width);
  const y = Math.floor(region.y * viewport.height);
  return { x, y, w: Math.ceil((region.x + region.w) * viewport.width) - x, h: Math.ceil((region.y + region.h) * viewport.height) - y };
}

/**
 * Firefox's captureVisibleTab `scale` (device pixels per CSS pixel of the result) for a crop of `cssWidth` x
 * `cssHeight` CSS pixels: full detail up to the screen's `devicePixelRatio`, less when that passes maxSide.
 */
export function cropCaptureScale(cssWidth: number, cssHeight: number, maxSide: number, devicePixelRatio: number): number {
  const longest = Math.max(cssWidth, cssHeight);
  const dpr = devicePixelRatio > 0 ? devicePixelRatio : 1;
  if (!(longest > 0)) return dpr;
  return Math.min(dpr, maxSide / longest);
}
