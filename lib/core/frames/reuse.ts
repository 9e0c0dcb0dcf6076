/**
 * The encoded frames the encode Worker keeps, so a picture that shows exactly what an earlier one showed is not
 * encoded again: the question's frame taken while the person types is reused at Enter when the screen did not
 * change since (issue 13, "the answer starts when Enter is pressed"). Pure.
 *
 * Reuse is stricter than change detection (change.ts): there a frame counts as new only past a changed area of
 * 64 source pixels, so a blinking caret is "no change"; here every cell of the luminance thumbnail must agree to
 * within `tolerance` luma levels, so one changed digit of 12 px text (tens of levels in its cells) is a new picture.
 * Two pictures of one unchanged tab or screen give identical thumbnails (measured in Chromium 156: a static tab
 * repeats the same video frame); a camera's sensor noise never does, so camera frames are always encoded.
 */
import type { LumaThumbnail } from './luma.ts';

/** What an encoding depends on besides the pixels: the same pixels with other settings are another JPEG. */
export interface EncodingKey {
  /** Size of the JPEG (px). */
  width: number;
  height: number;
  /** JPEG quality, 0..1. */
  quality: number;
  /** The hidden regions it was masked with, as a canonical string (regionsKey). */
  regions: string;
}

/** Largest luma difference (0..255) in any cell for two thumbnails to count as the same picture. */
export const SAME_PICTURE_TOLERANCE = 0.5;

/** Whether two thumbnails show the same picture: same grid, every cell within `tolerance`. */
export function sameThumbnail(a: LumaThumbnail, b: LumaThumbnail, tolerance = SAME_PICTURE_TOLERANCE): boolean {
  if (a.width !== b.width || a.height !== b.height || a.sourceWidth !== b.sourceWidth || a.sourceHeight !== b.sourceHeight) return false;
  for (let i = 0; i < a.data.length; i++) if (Math.abs(a.data[i]! - b.data[i]!) > tolerance) return false;
  return true;
}

/** A canonical string of hidden regions (fractions), for EncodingKey.regions. */
export function regionsKey(regions: ReadonlyArray<{ x: number; y: number; w: number; h: number }> | undefined): string {
  return (regions ?? []).map((r) => `${r.x},${r.y},${r.w},${r.h}`).join(';');
}

const sameKey = (a: EncodingKey, b: EncodingKey) =>
  a.width === b.width && a.height === b.height && a.quality === b.quality && a.regions === b.regions;

/**
 * The newest `max` encodings (default 2: one at the sampled size, one at a question's), newest first. `T` is
 * whatever the Worker keeps: a base64 JPEG, or a promise of one while it is being encoded, so a question that
 * arrives mid-encode waits for that encode instead of starting its own.
 */
export class EncodedFrames<T> {
  private kept: Array<{ key: EncodingKey; thumb: LumaThumbnail; value: T }> = [];
  private readonly max: number;

  constructor(max = 2) {
    this.max = Math.max(1, max);
  }

  /** The encoding of the same picture with the same settings, or undefined. */
  find(key: EncodingKey, thumb: LumaThumbnail): T | undefined {
    return this.kept.find((k) => sameKey(k.key, key) && sameThumbnail(k.thumb, thumb))?.value;
  }

  /** Keeps an encoding as the newest; the oldest beyond `max` is let go. */
  keep(key: EncodingKey, thumb: LumaThumbnail, value: T): void {
    this.kept = [{ key, thumb, value }, ...this.kept.filter((k) => k.value !== value)].slice(0, this.max);
  }

  /** Lets go of an encoding (one that failed). */
  forget(value: T): void {
    this.kept = this.kept.filter((k) => k.value !== value);
  }

  get size(): number {
    return this.kept.length;
  }
}
