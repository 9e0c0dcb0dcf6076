/**
 * Change detection before encoding (docs/decisions/0002-change-detection.md): compare each sampled frame's luminance thumbnail with the
 * thumbnail of the last frame KEPT, and keep the frame only if enough cells changed.
 *
 * The measure is local: a cell (about 10x10 px of a 720p frame) counts as changed when its mean luminance moved
 * by more than `cellDelta` beyond the frame-wide median shift (camera exposure drift moves every cell alike);
 * noise and compression shimmer average out inside a cell. The changed cells' luminance change is summed into
 * an "area": source pixels' worth of full-contrast change. A blinking caret is about 30 px of it, a new line of
 * small chat text about 150 to 200 px, a new slide thousands. A global mean would miss that chat line entirely.
 *
 * Measured on tests/support/clips.ts at 768x432, 1280x720 and 1920x1080, five seeds each, cellDelta 8:
 *   static page 0, blinking caret 0..32, camera sensor noise (sigma 7, exposure drift) 0, compression shimmer 0..4;
 *   new chat line (16 characters of 12 px text) 143..204, new object 519..3275, scroll 6093..23273,
 *   new slide 5877..109842. Threshold 64 sits 2x above the worst still case and 2x below the smallest change.
 */
import type { LumaThumbnail } from './luma.ts';

export interface ChangeDetectorOptions {
  /** Luminance change (0..255) for a cell to count as changed. */
  cellDelta?: number;
  /** Changed area (full-contrast source pixels) needed for the frame to count as changed. */
  minChangedArea?: number;
}

export interface ChangeVerdict {
  changed: boolean;
  /** Changed area in full-contrast source pixels (Infinity for the first frame or a new frame size). */
  score: number;
}

export interface ChangeDetector {
  /** Compares with the last kept thumbnail; a changed frame becomes the new reference. */
  consider(thumb: LumaThumbnail, now: number): ChangeVerdict;
  /** Makes this thumbnail the reference, e.g. for a frame sent with a question although unchanged. */
  keep(thumb: LumaThumbnail, now: number): void;
  /** When the reference was kept (epoch ms), or undefined. */
  readonly lastKeptAt: number | undefined;
}

export const DEFAULT_CELL_DELTA = 8;
export const DEFAULT_MIN_CHANGED_AREA = 64;
/**
 * A frame-wide luminance shift of this much (of 255) is a change a person sees — a page turned dark, a slide of
 * another colour — not exposure drift, which the clips model at ±3 (tests/support/clips.ts, sensorNoise) and a
 * camera moves by a few levels between samples. Without it, a solid page going from green to blue read as
 * "unchanged" (the median shift removes a uniform change: tests/e2e/firefox-loop.test.ts found it).
 */
export const DEFAULT_MIN_SHIFT = 24;

function median(values: Float32Array): number {
  const sorted = Float32Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface ChangeMeasure {
  /** Cells whose luminance moved by more than cellDelta beyond the median shift. */
  cells: number;
  /** The median (frame-wide) luminance shift, 0..255 levels, signed. */
  shift: number;
  /** Those cells' change as full-contrast source pixels: sum(|delta| / 255 * pixels per cell). */
  area: number;
}

/** How much of `cur` differs from `ref`, after removing the median (frame-wide) shift. */
export function measureChange(ref: LumaThumbnail, cur: LumaThumbnail, cellDelta = DEFAULT_CELL_DELTA): ChangeMeasure {
  if (ref.width !== cur.width || ref.height !== cur.height) return { cells: Infinity, area: Infinity, shift: 0 };
  const diff = new Float32Array(cur.data.length);
  for (let i = 0; i < diff.length; i++) diff[i] = cur.data[i]! - ref.data[i]!;
  const shift = median(diff);
  const cellPixels = (cur.sourceWidth * cur.sourceHeight) / diff.length;
  let cells = 0;
  let sum = 0;
  for (let i = 0; i < diff.length; i++) {
    const d = Math.abs(diff[i]! - shift);
    if (d > cellDelta) {
      cells++;
      sum += d;
    }
  }
  return { cells, area: (sum / 255) * cellPixels, shift };
}


export function createChangeDetector(opts: ChangeDetectorOptions = {}): ChangeDetector {
  const cellDelta = opts.cellDelta ?? DEFAULT_CELL_DELTA;
  const minArea = opts.minChangedArea ?? DEFAULT_MIN_CHANGED_AREA;
  let ref: LumaThumbnail | undefined;
  let keptAt: number | undefined;
  return {
    consider(thumb, now) {
      const m = ref ? measureChange(ref, thumb, cellDelta) : undefined;
      const score = m ? m.area : Infinity;
      const changed = score >= minArea || Math.abs(m?.shift ?? 0) >= DEFAULT_MIN_SHIFT;
      if (changed) {
        ref = thumb;
        keptAt = now;
      }
      return { changed, score };
    },
    keep(thumb, now) {
      ref = thumb;
      keptAt = now;
    },
    get lastKeptAt() {
      return keptAt;
    },
  };
}
