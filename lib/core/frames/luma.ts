/** Luminance thumbnails: a small, cheap picture of a frame that change detection and black-frame checks compare. */

/** RGBA pixels as canvas ImageData holds them. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export interface LumaThumbnail {
  width: number;
  height: number;
  /** Mean luminance 0..255 of the source pixels each cell covers, row by row. */
  data: Float32Array;
  /** Size of the image the thumbnail was made from: lets change be measured in source pixels. */
  sourceWidth: number;
  sourceHeight: number;
}

/** Default thumbnail width: one cell is 10x10 px of a 1280x720 frame, 6x6 px of a 768x432 one. */
export const THUMB_WIDTH = 128;

/** Thumbnail size for a frame: THUMB_WIDTH wide (never wider than the frame), same aspect. */
export function thumbSize(width: number, height: number, tw = THUMB_WIDTH): { tw: number; th: number } {
  const w = Math.min(tw, width);
  return { tw: w, th: Math.max(1, Math.min(height, Math.round((w * height) / width))) };
}

/**
 * Area-averaged luminance (BT.601 weights) of an RGBA image on a tw x th grid. Averaging every source pixel,
 * unlike a browser's bilinear downscale, keeps thin strokes such as small text from vanishing or aliasing.
 * `source` is the size of the original picture when `rgba` is an already scaled copy (e.g. the 768 px frame of a
 * 1920x1080 tab): area averaging is linear, so change is then still measured in the original's pixels.
 */
export function lumaThumbnail(
  rgba: Uint8ClampedArray,
  w: number,
  h: number,
  tw: number,
  th: number,
  source: { width: number; height: number } = { width: w, height: h },
): LumaThumbnail {
  if (rgba.length < w * h * 4) throw new Error(`lumaThumbnail: ${rgba.length} bytes is too short for ${w}x${h}`);
  const cellOfX = new Int32Array(w);
  for (let x = 0; x < w; x++) cellOfX[x] = Math.min(tw - 1, Math.floor((x * tw) / w));
  const sum = new Float64Array(tw * th);
  const count = new Float64Array(tw * th);
  for (let y = 0; y < h; y++) {
    const rowBase = Math.min(th - 1, Math.floor((y * th) / h)) * tw;
    let i = y * w * 4;
    for (let x = 0; x < w; x++, i += 4) {
      const c = rowBase + cellOfX[x]!;
      sum[c]! += 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
      count[c]! += 1;
    }
  }
  const data = new Float32Array(tw * th);
  for (let c = 0; c < data.length; c++) data[c] = count[c]! ? sum[c]! / count[c]! : 0;
  return { width: tw, height: th, data, sourceWidth: source.width, sourceHeight: source.height };
}

/** lumaThumbnail for an ImageData-like image at the default size. */
export function thumbnailOf(img: RgbaImage, source?: { width: number; height: number }, tw = THUMB_WIDTH): LumaThumbnail {
  const s = thumbSize(img.width, img.height, tw);
  return lumaThumbnail(img.data, img.width, img.height, s.tw, s.th, source);
}

export function meanLuma(t: LumaThumbnail): number {
  let s = 0;
  for (let i = 0; i < t.data.length; i++) s += t.data[i]!;
  return t.data.length ? s / t.data.length : 0;
}
