/**
 * A region in words a person would use (the log's tool lines: "Looked closer at the bottom right"): where its
 * centre falls on a 3×3 grid (top / middle / bottom, left / centre / right), and whether it is the whole
 * picture, a half, a quarter or just a part. Pure; the panel translates the result (components/TurnMedia.tsx).
 */
import type { Region } from '../frames/redaction.ts';

export type Vertical = 'top' | 'middle' | 'bottom';
export type Horizontal = 'left' | 'centre' | 'right';
/** One of nine spots: `top-left`, `top`, `top-right`, `left`, `centre`, `right`, `bottom-left`, `bottom`, `bottom-right`. */
export type Spot = 'top-left' | 'top' | 'top-right' | 'left' | 'centre' | 'right' | 'bottom-left' | 'bottom' | 'bottom-right';

export interface Place {
  /** `whole`: (nearly) all of the picture; `half` / `quarter`: about that share, along the edges; `part`: anything else. */
  size: 'whole' | 'half' | 'quarter' | 'part';
  /** Where its centre is (for `whole`, always `centre`). */
  spot: Spot;
}

const FULL = 0.9;
const isHalf = (v: number) => v >= 0.4 && v <= 0.6;

function third<T>(v: number, low: T, mid: T, high: T): T {
  return v < 1 / 3 ? low : v > 2 / 3 ? high : mid;
}

/** The spot named by a vertical and a horizontal third. */
export function spotOf(v: Vertical, h: Horizontal): Spot {
  if (v === 'middle') return h;
  if (h === 'centre') return v;
  return `${v}-${h}`;
}

/** Where `r` is, in words a person would use. */
export function placeOf(r: Region): Place {
  const v = third<Vertical>(r.y + r.h / 2, 'top', 'middle', 'bottom');
  const h = third<Horizontal>(r.x + r.w / 2, 'left', 'centre', 'right');
  if (r.w >= FULL && r.h >= FULL) return { size: 'whole', spot: 'centre' };
  // A half runs along a whole side: the top half spans the width, the left half the height.
  if (r.w >= FULL && isHalf(r.h) && v !== 'middle') return { size: 'half', spot: v };
  if (r.h >= FULL && isHalf(r.w) && h !== 'centre') return { size: 'half', spot: h };
  if (isHalf(r.w) && isHalf(r.h) && v !== 'middle' && h !== 'centre') return { size: 'quarter', spot: spotOf(v, h) };
  return { size: 'part', spot: spotOf(v, h) };
}
